package io.duplexsim.workloads.compiler;

import io.duplexsim.sim.InputException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Skewed routing: expert e is picked with weight 1 / (e+1)^exponent (expert 0 the most popular), top-k
 * distinct per token (drawn without replacement). Exponent 0 is uniform.
 */
public final class ZipfRouter implements ExpertRouter {
  private final double exponent;
  private final SplittableRandom random;
  private double[] cumulative = new double[0];

  public ZipfRouter(double exponent, long seed) {
    if (!(exponent >= 0) || Double.isInfinite(exponent)) {
      throw new InputException("router: the Zipf exponent must be a finite number >= 0, got " + exponent);
    }
    this.exponent = exponent;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public int[] route(int layer, int tokens, int experts, int topK) {
    if (cumulative.length != experts) {
      cumulative = new double[experts];
      double sum = 0;
      for (int e = 0; e < experts; e++) {
        sum += Math.pow(e + 1, -exponent);
        cumulative[e] = sum;
      }
    }
    int[] out = new int[tokens * topK];
    boolean[] taken = new boolean[experts];
    for (int t = 0; t < tokens; t++) {
      for (int j = 0; j < topK; j++) {
        int e = draw(taken);
        taken[e] = true;
        out[t * topK + j] = e;
      }
      for (int j = 0; j < topK; j++) {
        taken[out[t * topK + j]] = false;
      }
    }
    return out;
  }

  private int draw(boolean[] taken) {
    double total = cumulative[cumulative.length - 1];
    // rejection is cheap while k is small next to the experts; a heavy skew falls back to a scan
    for (int attempt = 0; attempt < 32; attempt++) {
      int i = Arrays.binarySearch(cumulative, random.nextDouble() * total);
      int e = i >= 0 ? i : -i - 1;
      if (!taken[e]) {
        return e;
      }
    }
    double free = 0;
    for (int e = 0; e < cumulative.length; e++) {
      free += taken[e] ? 0 : weight(e);
    }
    double u = random.nextDouble() * free;
    int last = -1;
    for (int e = 0; e < cumulative.length; e++) {
      if (!taken[e]) {
        last = e;
        u -= weight(e);
        if (u < 0) {
          return e;
        }
      }
    }
    return last;
  }

  private double weight(int e) {
    return cumulative[e] - (e == 0 ? 0 : cumulative[e - 1]);
  }
}
