package io.duplexsim.workloads.serving.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LengthDistributionTest {
  private static double sampleMean(LengthDistribution d, int n, int[] minMax) {
    SplittableRandom rng = new SplittableRandom(2);
    double sum = 0;
    minMax[0] = Integer.MAX_VALUE;
    minMax[1] = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      int v = d.sample(rng);
      sum += v;
      minMax[0] = Math.min(minMax[0], v);
      minMax[1] = Math.max(minMax[1], v);
    }
    return sum / n;
  }

  @Test
  void gaussianIsClippedToOneAndKeepsItsMeanWhenFarFromTheClip() {
    int[] mm = new int[2];
    assertEquals(1024, sampleMean(new LengthDistribution.Gaussian(1024, 100), 50_000, mm), 2);
    mm = new int[2];
    sampleMean(new LengthDistribution.Gaussian(3, 50), 10_000, mm);
    assertEquals(1, mm[0], "clipped, never below 1");
  }

  @Test
  void uniformCoversItsInclusiveRange() {
    int[] mm = new int[2];
    assertEquals(15, sampleMean(new LengthDistribution.Uniform(10, 20), 20_000, mm), 0.1);
    assertEquals(10, mm[0]);
    assertEquals(20, mm[1]);
  }

  @Test
  void zipfFavoursShortLengthsAndMatchesItsMean() {
    LengthDistribution.Zipf z = new LengthDistribution.Zipf(1.2, 16, 4096);
    int[] mm = new int[2];
    assertEquals(z.mean(), sampleMean(z, 200_000, mm), z.mean() * 0.03);
    assertEquals(16, mm[0]);
    SplittableRandom rng = new SplittableRandom(1);
    int minimum = 0;
    for (int i = 0; i < 10_000; i++) {
      minimum += z.sample(rng) == 16 ? 1 : 0;
    }
    // P(16) = 1 / sum_{k=1}^{4081} k^-1.2, about 0.2
    assertTrue(minimum > 1500 && minimum < 2500, "the shortest length is the most common: " + minimum);
  }

  @Test
  void textFormsParse() {
    assertEquals(new LengthDistribution.Fixed(1024), LengthDistribution.parse("1024", "input-len"));
    assertEquals(new LengthDistribution.Fixed(7), LengthDistribution.parse("fixed:7", "input-len"));
    assertEquals(new LengthDistribution.Gaussian(512, 64), LengthDistribution.parse("gaussian:512,64", "input-len"));
    assertEquals(new LengthDistribution.Uniform(1, 9), LengthDistribution.parse("uniform:1, 9", "input-len"));
    assertEquals(new LengthDistribution.Zipf(1.1, 1, 100), LengthDistribution.parse("zipf:1.1,1,100", "input-len"));
  }

  @Test
  void badTextNamesTheKey() {
    InputException e = assertThrows(InputException.class, () -> LengthDistribution.parse("uniform:9,1", "output-len"));
    assertTrue(e.getMessage().startsWith("output-len: 'uniform:9,1' is not a length distribution (uniform length needs"
        + " 1 <= min <= max, got 9, 1)"), e.getMessage());
    e = assertThrows(InputException.class, () -> LengthDistribution.parse("gauss:1,2", "input-len"));
    assertTrue(e.getMessage().contains("unknown kind 'gauss'"), e.getMessage());
    assertThrows(InputException.class, () -> LengthDistribution.parse("0", "input-len"));
  }
}
