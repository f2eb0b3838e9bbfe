package io.duplexsim.units.systolic;

import java.util.function.IntToLongFunction;

/**
 * One channel of {@code bytesPerCycle} streams the folds' operands back to back: fold f's load starts
 * when the channel has finished fold f-1's load and fold f's buffer is free, and takes
 * {@code bytes(f) / bytesPerCycle} cycles.
 *
 * <pre>
 * loadStart(f) = max(loadEnd(f-1), bufferFree(f))
 * loadEnd(f)   = loadStart(f) + bytes(f) / bytesPerCycle      (kept fractional)
 * ready(f)     = ceil(loadEnd(f))
 * </pre>
 *
 * No latency term: this is the bandwidth bound only; the HBM model supplies latency. Stateful, one
 * run per instance.
 */
public final class BandwidthFeed implements OperandFeed {
  private final double bytesPerCycle;
  private final IntToLongFunction bytesOfFold;
  private double channelFree;
  private long bytesDelivered;

  public BandwidthFeed(double bytesPerCycle, IntToLongFunction bytesOfFold) {
    if (!(bytesPerCycle > 0) || Double.isInfinite(bytesPerCycle)) {
      throw new IllegalArgumentException("bytesPerCycle must be positive and finite: " + bytesPerCycle);
    }
    if (bytesOfFold == null) {
      throw new IllegalArgumentException("bytesOfFold must not be null");
    }
    this.bytesPerCycle = bytesPerCycle;
    this.bytesOfFold = bytesOfFold;
  }

  /** Every fold moves {@code bytesPerFold} bytes. */
  public BandwidthFeed(double bytesPerCycle, long bytesPerFold) {
    this(bytesPerCycle, f -> bytesPerFold);
    if (bytesPerFold < 0) {
      throw new IllegalArgumentException("bytesPerFold must not be negative: " + bytesPerFold);
    }
  }

  /** Each fold moves its {@link GemmSchedule#operandElements} at {@code bytesPerElement}, rounded up. */
  public static BandwidthFeed forSchedule(
      GemmSchedule schedule, double bytesPerCycle, double bytesPerElement) {
    if (!(bytesPerElement > 0)) {
      throw new IllegalArgumentException("bytesPerElement must be positive: " + bytesPerElement);
    }
    return new BandwidthFeed(
        bytesPerCycle, f -> (long) Math.ceil(schedule.operandElements(f) * bytesPerElement));
  }

  @Override
  public long readyCycle(int fold, long bufferFreeCycle) {
    long bytes = bytesOfFold.applyAsLong(fold);
    if (bytes < 0) {
      throw new IllegalStateException("fold " + fold + " has negative bytes: " + bytes);
    }
    double start = Math.max(channelFree, bufferFreeCycle);
    channelFree = start + bytes / bytesPerCycle;
    bytesDelivered += bytes;
    return (long) Math.ceil(channelFree);
  }

  /** Bytes moved so far, for the bytes-requested = bytes-delivered check. */
  public long bytesDelivered() {
    return bytesDelivered;
  }

  public double bytesPerCycle() {
    return bytesPerCycle;
  }
}
