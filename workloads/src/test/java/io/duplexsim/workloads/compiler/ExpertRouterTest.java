package io.duplexsim.workloads.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The three routers: distinct top-k per token, reproducible by seed, skew where asked, replay as recorded. */
class ExpertRouterTest {
  static Stream<ExpertRouter> routers() {
    return Stream.of(new UniformRouter(3), new ZipfRouter(1.2, 3), new ZipfRouter(8, 3),
        ReplayRouter.parse(List.of("layer,e1,e2", "0,1,2", "0,7,0", "0,3,4"), "r.csv"));
  }

  @ParameterizedTest
  @MethodSource("routers")
  void everyTokenPicksTopKDistinctExperts(ExpertRouter r) {
    int[] c = r.route(0, 500, 8, 2);
    assertEquals(1000, c.length);
    for (int t = 0; t < 500; t++) {
      assertTrue(c[2 * t] >= 0 && c[2 * t] < 8 && c[2 * t + 1] >= 0 && c[2 * t + 1] < 8);
      assertNotEquals(c[2 * t], c[2 * t + 1]);
    }
    assertEquals(1000, java.util.Arrays.stream(ExpertRouter.tokensPerExpert(c, 8)).sum());
  }

  @Test
  void seededRoutersRepeatAndIterationsDiffer() {
    UniformRouter a = new UniformRouter(9);
    UniformRouter b = new UniformRouter(9);
    int[] first = a.route(0, 64, 8, 2);
    assertArrayEquals(first, b.route(0, 64, 8, 2));
    assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(a.route(0, 64, 8, 2)));
  }

  @Test
  void countsFollowTheSameStreamAsChoices() {
    // two routers of each kind, one asked for choices and one for counts, over calls of varied sizes
    List<ExpertRouter> chooser = routers().toList();
    List<ExpertRouter> counter = routers().toList();
    for (int i = 0; i < chooser.size(); i++) {
      for (int tokens : new int[] {1, 7, 64, 1000, 3}) {
        int[] expected = ExpertRouter.tokensPerExpert(chooser.get(i).route(0, tokens, 8, 2), 8);
        assertArrayEquals(expected, counter.get(i).tokensPerExpert(0, tokens, 8, 2), "router " + i + ", " + tokens);
      }
    }
  }

  @Test
  void uniformCountsFollowChoicesForEveryPoolSizeAndInterleaving() {
    // listed subsets (one draw a token) and shuffled ones (256 choose 8: k draws) alike, interleaved
    UniformRouter chooser = new UniformRouter(7);
    UniformRouter counter = new UniformRouter(7);
    int[][] shapes = {{8, 2}, {8, 2}, {16, 4}, {16, 16}, {6, 1}, {64, 2}, {256, 8}, {8, 8}, {2, 1}, {256, 8}, {8, 2},
        {16, 2}};
    for (int s = 0; s < shapes.length; s++) {
      int experts = shapes[s][0];
      int k = shapes[s][1];
      for (int tokens : new int[] {1, 33, 500}) {
        int[] choices = chooser.route(0, tokens, experts, k);
        if (tokens == 33) { // the counter chooses too: both kinds of call share one pool
          assertArrayEquals(choices, counter.route(0, tokens, experts, k), "shape " + s);
        } else {
          assertArrayEquals(ExpertRouter.tokensPerExpert(choices, experts), counter.tokensPerExpert(0, tokens, experts, k),
              "shape " + s + ", " + tokens);
        }
      }
    }
  }

  @Test
  void subsetsAreListedInOrderUpToTheTablesSize() {
    int[] pairs = UniformRouter.subsets(8, 2);
    assertEquals(56, pairs.length);
    assertArrayEquals(new int[] {0, 1, 0, 2}, java.util.Arrays.copyOf(pairs, 4));
    assertArrayEquals(new int[] {6, 7}, java.util.Arrays.copyOfRange(pairs, 54, 56));
    assertEquals(2016 * 2, UniformRouter.subsets(64, 2).length);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, UniformRouter.subsets(8, 8));
    assertEquals(null, UniformRouter.subsets(256, 8)); // 4e14 subsets: tokens are shuffled instead
    assertEquals(null, UniformRouter.subsets(8, 0));
  }

  @Test
  void everyPairOfExpertsIsEquallyLikely() {
    int tokens = 280_000;
    int[] c = new UniformRouter(5).route(0, tokens, 8, 2);
    int[][] pairs = new int[8][8];
    for (int t = 0; t < tokens; t++) {
      pairs[Math.min(c[2 * t], c[2 * t + 1])][Math.max(c[2 * t], c[2 * t + 1])]++;
    }
    // 28 pairs, 10,000 tokens each expected; a standard deviation is about 98
    for (int a = 0; a < 8; a++) {
      for (int b = a + 1; b < 8; b++) {
        assertEquals(10_000, pairs[a][b], 500, a + "," + b);
      }
    }
  }

  @Test
  void zipfFavoursTheLowExperts() {
    int[] uniform = ExpertRouter.tokensPerExpert(new UniformRouter(1).route(0, 20000, 8, 1), 8);
    int[] skewed = ExpertRouter.tokensPerExpert(new ZipfRouter(1.0, 1).route(0, 20000, 8, 1), 8);
    // weights 1/(e+1): expert 0 gets 1 / H(8) = 36.8% of tokens, expert 7 4.6%
    assertEquals(0.368, skewed[0] / 20000.0, 0.015);
    assertEquals(0.046, skewed[7] / 20000.0, 0.01);
    assertEquals(0.125, uniform[0] / 20000.0, 0.015);
  }

  @Test
  void replayConsumesRowsInOrderAndWraps() {
    ExpertRouter r = ReplayRouter.parse(List.of("# recorded", "0,1,2", "0,3,4", "1,5,6"), "r.csv");
    assertArrayEquals(new int[] {1, 2, 3, 4, 1, 2}, r.route(0, 3, 8, 2));
    assertArrayEquals(new int[] {3, 4}, r.route(0, 1, 8, 2));
    assertArrayEquals(new int[] {5, 6}, r.route(1, 1, 8, 2));
  }

  @Test
  void badReplaysNameTheFileAndLine() {
    InputException e = assertThrows(InputException.class,
        () -> ReplayRouter.parse(List.of("0,1,2", "0,1,x"), "r.csv"));
    assertTrue(e.getMessage().startsWith("r.csv:2:"), e.getMessage());
    ExpertRouter r = ReplayRouter.parse(List.of("0,1,9"), "r.csv");
    e = assertThrows(InputException.class, () -> r.route(0, 1, 8, 2));
    assertTrue(e.getMessage().contains("r.csv:1") && e.getMessage().contains("expert 9"), e.getMessage());
    e = assertThrows(InputException.class, () -> r.route(3, 1, 8, 2));
    assertTrue(e.getMessage().contains("layer 3"), e.getMessage());
    e = assertThrows(InputException.class, () -> ExpertRouter.parse("poisson:3"));
    assertTrue(e.getMessage().contains("uniform") && e.getMessage().contains("zipf"), e.getMessage());
  }
}
