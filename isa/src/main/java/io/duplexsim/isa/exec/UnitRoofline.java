package io.duplexsim.isa.exec;

/**
 * The two ceilings of one unit in the analytic mode: peak arithmetic (FLOP/s) and peak memory or
 * link bandwidth (bytes/s).
 */
public record UnitRoofline(double flopsPerSecond, double bytesPerSecond) {
  public UnitRoofline {
    if (!(flopsPerSecond > 0) || !(bytesPerSecond > 0)) {
      throw new IllegalArgumentException("expected positive peak FLOP/s and bytes/s, got "
          + flopsPerSecond + ", " + bytesPerSecond);
    }
  }

  /** max(flops / peak, bytes / bandwidth), in ns. */
  public double durationNs(long flops, long bytes) {
    return Math.max(flops * 1e9 / flopsPerSecond, bytes * 1e9 / bytesPerSecond);
  }
}
