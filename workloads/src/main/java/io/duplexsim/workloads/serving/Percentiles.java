package io.duplexsim.workloads.serving;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import java.util.Arrays;

/** Exact nearest-rank percentiles of a sample: the smallest value with at least q of the samples at or below it. */
final class Percentiles {
  private final double[] sorted;

  Percentiles(DoubleArrayList samples) {
    sorted = samples.toDoubleArray();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** 0 for an empty sample (a run that produced no such gap reports zeros, not NaN in JSON). */
  double at(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("percentile must be in [0,1], got " + q);
    }
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  double mean() {
    if (sorted.length == 0) {
      return 0;
    }
    double s = 0;
    for (double v : sorted) {
      s += v;
    }
    return s / sorted.length;
  }

  double max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }
}
