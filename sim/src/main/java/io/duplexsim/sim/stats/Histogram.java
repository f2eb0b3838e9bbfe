package io.duplexsim.sim.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Histogram of non-negative integer samples (latencies in cycles). Values below
 * {@link #EXACT_LIMIT} are counted exactly; larger ones fall in log-spaced buckets with 1/64
 * relative width, so percentiles of ordinary DRAM latencies are exact and outliers cost nothing.
 */
public final class Histogram {
  static final int EXACT_LIMIT = 1 << 16;
  private static final int SUB_BUCKETS = 64;

  private long[] exact = new long[256];
  private final long[] log = new long[64 * SUB_BUCKETS];
  private long count;
  private double sum;
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;

  public void record(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("histogram samples must be non-negative, got " + value);
    }
    if (value < EXACT_LIMIT) {
      int v = (int) value;
      if (v >= exact.length) {
        exact = Arrays.copyOf(exact, Math.min(EXACT_LIMIT, Integer.highestOneBit(v) << 1));
      }
      exact[v]++;
    } else {
      log[logBucket(value)]++;
    }
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  private static int logBucket(long value) {
    int exp = 63 - Long.numberOfLeadingZeros(value);
    int sub = (int) ((value >>> (exp - 6)) & (SUB_BUCKETS - 1));
    return exp * SUB_BUCKETS + sub;
  }

  private static long logBucketLow(int bucket) {
    int exp = bucket / SUB_BUCKETS;
    int sub = bucket % SUB_BUCKETS;
    return (1L << exp) + ((long) sub << (exp - 6));
  }

  public long count() {
    return count;
  }

  public double mean() {
    return count == 0 ? 0 : sum / count;
  }

  public long min() {
    return count == 0 ? 0 : min;
  }

  public long max() {
    return count == 0 ? 0 : max;
  }

  /**
   * The smallest recorded value v such that at least {@code q} of the samples are at most v
   * (nearest-rank definition); for values past the exact range, the bucket's lower bound clamped to
   * the observed maximum.
   */
  public long percentile(double q) {
    if (!(q >= 0 && q <= 1)) { // also rejects NaN
      throw new IllegalArgumentException("percentile must be in [0,1], got " + q);
    }
    if (count == 0) {
      return 0;
    }
    // ceil(q * count) in decimal: in binary, 0.07 * 100 is 7.000000000000001, one rank too high
    long rank = Math.max(1, BigDecimal.valueOf(q).multiply(BigDecimal.valueOf(count))
        .setScale(0, RoundingMode.CEILING).longValueExact());
    long seen = 0;
    for (int v = 0; v < exact.length; v++) {
      seen += exact[v];
      if (seen >= rank) {
        return v;
      }
    }
    for (int b = 0; b < log.length; b++) {
      seen += log[b];
      if (seen >= rank) {
        return Math.min(max, Math.max(logBucketLow(b), EXACT_LIMIT));
      }
    }
    return max;
  }

  /**
   * Adds every sample of {@code other}, as if each had been recorded here: the counts are exact, and
   * so is the sum while it stays below 2^53 (integer samples), so merged parts equal one recording
   * in any order.
   */
  public void add(Histogram other) {
    if (other.exact.length > exact.length) {
      exact = Arrays.copyOf(exact, other.exact.length);
    }
    for (int v = 0; v < other.exact.length; v++) {
      exact[v] += other.exact[v];
    }
    for (int b = 0; b < log.length; b++) {
      log[b] += other.log[b];
    }
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  public void reset() {
    Arrays.fill(exact, 0);
    Arrays.fill(log, 0);
    count = 0;
    sum = 0;
    min = Long.MAX_VALUE;
    max = Long.MIN_VALUE;
  }
}
