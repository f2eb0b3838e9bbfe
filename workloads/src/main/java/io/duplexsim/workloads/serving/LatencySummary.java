package io.duplexsim.workloads.serving;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;

/** A latency's distribution in milliseconds: exact nearest-rank p50/p90/p99, mean, max and sample count. */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double meanMs, double maxMs) {

  /** From samples in nanoseconds. */
  public static LatencySummary ofNs(DoubleArrayList samplesNs) {
    Percentiles p = new Percentiles(samplesNs);
    return new LatencySummary(p.count(), p.at(0.5) / 1e6, p.at(0.9) / 1e6, p.at(0.99) / 1e6, p.mean() / 1e6,
        p.max() / 1e6);
  }
}
