package io.duplexsim.workloads.serving.requests;

import java.util.SplittableRandom;

/** Standard normal draws from a SplittableRandom (polar Box-Muller, one value per call so streams stay simple). */
final class StandardNormal {
  private StandardNormal() {}

  static double sample(SplittableRandom rng) {
    while (true) {
      double u = 2 * rng.nextDouble() - 1;
      double v = 2 * rng.nextDouble() - 1;
      double s = u * u + v * v;
      if (s > 0 && s < 1) {
        return u * Math.sqrt(-2 * Math.log(s) / s);
      }
    }
  }
}
