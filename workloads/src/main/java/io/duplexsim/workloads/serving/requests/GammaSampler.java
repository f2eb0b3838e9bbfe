package io.duplexsim.workloads.serving.requests;

import java.util.SplittableRandom;

/** Gamma(shape, 1) draws: Marsaglia and Tsang (ACM TOMS 2000), with the U^(1/shape) boost for shape < 1. */
final class GammaSampler {
  private GammaSampler() {}

  static double sample(SplittableRandom rng, double shape) {
    if (shape < 1) {
      double u = rng.nextDouble();
      return sample(rng, shape + 1) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = StandardNormal.sample(rng);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
