package io.duplexsim.workloads.serving.cachecraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CacheFixOverheadTest {
  @Test
  void aHandBuiltCaseGivesTheExactTokenCount() {
    List<String> variant = List.of("A", "B", "C");
    List<String> prompt = List.of("A", "C", "B", "D");
    // new prompt's distances to the fixed chunk: D 1, B 2, C 3, A 4 -> weights 1, 1/2, 1/3, 1/4;
    // common {A, B, C}: 13/12 of a union of 25/12
    assertEquals(13.0 / 25, CacheFixOverhead.prefixOverlap(variant, prompt), 1e-15);
    // pairs (A,C) (A,B) concordant, (C,B) discordant
    assertEquals(1.0 / 3, CacheFixOverhead.orderPenalty(variant, prompt), 1e-15);
    double cfo = CacheFixOverhead.cfo(1.0, 0.6, variant, prompt);
    assertEquals(0.6 * (1 - 13.0 / 25 * 2 / 3), cfo, 1e-15); // 0.392
    assertEquals(201, CacheFixOverhead.recomputeTokens(cfo, 512)); // ceil(200.704)
  }

  @Test
  void theSamePrefixNeedsNoFixAndADisjointOneTheWholeImpact() {
    assertEquals(0, CacheFixOverhead.cfo(1, 0.8, List.of("A", "B"), List.of("A", "B")));
    assertEquals(0, CacheFixOverhead.cfo(1, 0.8, List.of(), List.of()), "a leading chunk is exact");
    assertEquals(0.8, CacheFixOverhead.cfo(1, 0.8, List.of("A"), List.of("B")), 1e-15);
    assertEquals(0.8, CacheFixOverhead.cfo(1, 0.8, List.of(), List.of("B")), 1e-15);
    assertEquals(0.4, CacheFixOverhead.cfo(0.5, 0.8, List.of("A"), List.of("B")), 1e-15);
    assertEquals(1, CacheFixOverhead.cfo(3, 0.8, List.of("A"), List.of("B")), "clipped");
    assertEquals(410, CacheFixOverhead.recomputeTokens(0.8, 512)); // ceil(409.6)
    assertEquals(128, CacheFixOverhead.recomputeTokens(0.25, 512));
    assertEquals(0, CacheFixOverhead.recomputeTokens(0, 512));
  }

  @Test
  void aReversedOrderCancelsTheOverlap() {
    List<String> v = List.of("A", "B", "C");
    List<String> p = List.of("C", "B", "A");
    assertEquals(1, CacheFixOverhead.orderPenalty(v, p));
    assertEquals(1, CacheFixOverhead.prefixOverlap(v, p), 1e-15, "same set");
    assertEquals(0.7, CacheFixOverhead.cfo(1, 0.7, v, p), 1e-15);
  }

  /** Over random prefixes: CFO lies in [0, alpha x CCI], beta and gamma in [0, 1]. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void cfoIsBoundedByTheChunksImpact(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> pool = List.of("A", "B", "C", "D", "E", "F", "G");
    for (int trial = 0; trial < 200; trial++) {
      List<String> v = draw(pool, rng);
      List<String> p = draw(pool, rng);
      double beta = CacheFixOverhead.prefixOverlap(v, p);
      double gamma = CacheFixOverhead.orderPenalty(v, p);
      assertTrue(beta >= 0 && beta <= 1 && gamma >= 0 && gamma <= 1);
      double cci = rng.nextDouble();
      double cfo = CacheFixOverhead.cfo(1, cci, v, p);
      assertTrue(cfo >= 0 && cfo <= cci + 1e-15);
      // the common chunks kept in the variant's order: no discordant pair
      assertEquals(0, CacheFixOverhead.orderPenalty(v, v.stream().filter(p::contains).toList()));
    }
  }

  private static List<String> draw(List<String> pool, SplittableRandom rng) {
    List<String> l = new ArrayList<>(pool);
    Collections.shuffle(l, new java.util.Random(rng.nextLong()));
    return l.subList(0, rng.nextInt(pool.size() + 1));
  }
}
