package io.duplexsim.workloads.serving.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiTenantRequestsTest {
  private static final int FRAGMENTS = 20;
  private static final int TENANTS = 4;

  private static MultiTenantRequests source(long seed, double popularity) {
    return new MultiTenantRequests(2000, new LengthDistribution.Uniform(1, 64), new LengthDistribution.Fixed(4),
        new ArrivalProcess.Poisson(10), new MultiTenantWorkload(TENANTS, FRAGMENTS,
            new LengthDistribution.Uniform(32, 512), new LengthDistribution.Uniform(1, 4), popularity), seed);
  }

  private static List<RequestSpec> all(MultiTenantRequests s) {
    List<RequestSpec> out = new ArrayList<>();
    for (RequestSpec r; (r = s.next()) != null; ) {
      out.add(r);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void promptsAreASystemPromptThenPoolFragmentsAmongTheirOwnTokens(long seed) {
    MultiTenantRequests src = source(seed, 1.0);
    boolean notAfterSystemPrompt = false;
    for (RequestSpec r : all(src)) {
      List<PromptFragment> f = r.fragments();
      PromptFragment system = f.get(0);
      assertEquals(0, system.offset());
      assertTrue(system.id() >= FRAGMENTS && system.id() < FRAGMENTS + TENANTS, "a tenant's system prompt");
      assertTrue(f.size() >= 2 && f.size() <= 5);
      Set<Integer> ids = new HashSet<>();
      int shared = 0;
      for (PromptFragment p : f) {
        assertTrue(ids.add(p.id()), "distinct fragments in one prompt");
        assertEquals(src.fragmentLength(p.id()), p.length(), "a fragment keeps its length");
        shared += p.length();
      }
      int own = r.inputTokens() - shared;
      assertTrue(own >= 1 && own <= 64, "own tokens from input-len: " + own);
      assertTrue(f.get(f.size() - 1).end() < r.inputTokens(), "the prompt ends with its own tokens");
      notAfterSystemPrompt |= f.get(1).offset() > system.end();
    }
    assertTrue(notAfterSystemPrompt, "pool fragments stand anywhere, not only right after the system prompt");
  }

  @Test
  void theSameSeedGivesTheSameWorkloadAndArrivalsDoNotDependOnTheStructure() {
    List<RequestSpec> a = all(source(5, 1.0));
    assertEquals(a, all(source(5, 1.0)));
    assertNotEquals(a, all(source(6, 1.0)));
    List<RequestSpec> uniform = all(source(5, 0));
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).arrivalNs(), uniform.get(i).arrivalNs());
      assertEquals(a.get(i).outputTokens(), uniform.get(i).outputTokens());
    }
  }

  @Test
  void popularityFollowsTheZipfExponent() {
    double[] zipf = counts(all(source(9, 1.2)));
    double[] uniform = counts(all(source(9, 0)));
    assertTrue(zipf[0] > 3 * zipf[FRAGMENTS - 1], "rank 1 is drawn far more than rank 20 at s = 1.2");
    for (int i = 1; i < FRAGMENTS; i++) {
      assertTrue(zipf[0] >= zipf[i]);
    }
    double max = 0;
    double min = Double.MAX_VALUE;
    for (double c : uniform) {
      max = Math.max(max, c);
      min = Math.min(min, c);
    }
    assertTrue(max < 1.3 * min, "s = 0 draws uniformly: " + min + ".." + max);
  }

  private static double[] counts(List<RequestSpec> rs) {
    double[] c = new double[FRAGMENTS];
    for (RequestSpec r : rs) {
      r.fragments().stream().filter(f -> f.id() < FRAGMENTS).forEach(f -> c[f.id()]++);
    }
    return c;
  }

  @Test
  void badShapesAreInputErrorsNamingTheKey() {
    LengthDistribution one = new LengthDistribution.Fixed(1);
    assertTrue(assertThrows(InputException.class, () -> new MultiTenantWorkload(0, 4, one, one, 1)).getMessage()
        .contains("tenants"));
    assertTrue(assertThrows(InputException.class, () -> new MultiTenantWorkload(1, 0, one, one, 1)).getMessage()
        .contains("fragments"));
    assertTrue(assertThrows(InputException.class, () -> new MultiTenantWorkload(1, 4, one, one, -1)).getMessage()
        .contains("fragment-popularity"));
  }

  @Test
  void overlappingOrOutOfPromptFragmentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> RequestSpec.withFragments(0, 0, 100, 1,
        List.of(new PromptFragment(1, 0, 50), new PromptFragment(2, 40, 10))));
    assertThrows(IllegalArgumentException.class, () -> RequestSpec.withFragments(0, 0, 100, 1,
        List.of(new PromptFragment(1, 60, 50))));
  }
}
