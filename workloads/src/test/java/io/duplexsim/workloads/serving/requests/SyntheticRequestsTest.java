package io.duplexsim.workloads.serving.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticRequestsTest {
  private static List<RequestSpec> all(SyntheticRequests s) {
    List<RequestSpec> out = new ArrayList<>();
    for (RequestSpec r; (r = s.next()) != null; ) {
      out.add(r);
    }
    return out;
  }

  private static SyntheticRequests poisson(int n, double rate, long seed) {
    return new SyntheticRequests(n, new LengthDistribution.Fixed(8), new LengthDistribution.Fixed(4),
        new ArrivalProcess.Poisson(rate), seed);
  }

  @Test
  void poissonArrivalsWithASeedAreReproducibleAndKeepTheirRate() {
    List<RequestSpec> a = all(poisson(20_000, 50, 9));
    assertEquals(a, all(poisson(20_000, 50, 9)));
    assertNotEquals(a, all(poisson(20_000, 50, 10)));
    double spanS = a.get(a.size() - 1).arrivalNs() / 1e9;
    double rate = a.size() / spanS;
    assertEquals(50, rate, 50 * 0.03, "mean rate"); // 20k exponential gaps: relative sd of the mean ~0.7%
    for (int i = 1; i < a.size(); i++) {
      assertTrue(a.get(i).arrivalNs() >= a.get(i - 1).arrivalNs());
    }
  }

  @Test
  void poissonGapsHaveUnitCvAndGammaGapsTheirCv() {
    assertEquals(1.0, gapCv(new ArrivalProcess.Poisson(10)), 0.05);
    assertEquals(3.0, gapCv(new ArrivalProcess.Gamma(10, 3)), 0.3);
    assertEquals(0.5, gapCv(new ArrivalProcess.Gamma(10, 0.5)), 0.05);
  }

  private static double gapCv(ArrivalProcess p) {
    List<RequestSpec> a = all(new SyntheticRequests(40_000, new LengthDistribution.Fixed(1),
        new LengthDistribution.Fixed(1), p, 4));
    double prev = 0;
    double sum = 0;
    double sq = 0;
    for (RequestSpec r : a) {
      double gap = r.arrivalNs() - prev;
      prev = r.arrivalNs();
      sum += gap;
      sq += gap * gap;
    }
    double mean = sum / a.size();
    assertEquals(1e8, mean, 1e8 * 0.05, "10 requests/s is a 100 ms mean gap");
    return Math.sqrt(sq / a.size() - mean * mean) / mean;
  }

  @Test
  void closedLoopRequestsCarryNoArrivalAndTheConcurrency() {
    SyntheticRequests s = new SyntheticRequests(3, new LengthDistribution.Fixed(8), new LengthDistribution.Fixed(4),
        new ArrivalProcess.Closed(2), 1);
    assertEquals(2, s.concurrency());
    assertEquals(List.of(RequestSpec.of(0, 0, 8, 4), RequestSpec.of(1, 0, 8, 4), RequestSpec.of(2, 0, 8, 4)), all(s));
    assertNull(s.next());
  }

  @Test
  void changingTheOutputDistributionLeavesInputsAndArrivalsAlone() {
    List<RequestSpec> a = all(new SyntheticRequests(100, new LengthDistribution.Uniform(1, 1000),
        new LengthDistribution.Fixed(4), new ArrivalProcess.Poisson(5), 3));
    List<RequestSpec> b = all(new SyntheticRequests(100, new LengthDistribution.Uniform(1, 1000),
        new LengthDistribution.Gaussian(50, 10), new ArrivalProcess.Poisson(5), 3));
    for (int i = 0; i < 100; i++) {
      assertEquals(a.get(i).inputTokens(), b.get(i).inputTokens());
      assertEquals(a.get(i).arrivalNs(), b.get(i).arrivalNs());
    }
  }
}
