package io.duplexsim.units.systolic;

/**
 * A systolic array of {@code rows} x {@code cols} PEs running one {@link Dataflow}.
 *
 * <p>{@code macsPerPeCycle} is the PE's MAC rate. The cycle formulas of {@link SystolicTiming}
 * (and SCALE-Sim's) assume one MAC per PE per cycle, so {@link SystolicTiming#plan} accepts only 1;
 * the field exists so that peak-rate arithmetic elsewhere ({@link #peakMacsPerCycle}) is explicit.
 */
public record SystolicArray(int rows, int cols, Dataflow dataflow, int macsPerPeCycle) {
  public SystolicArray {
    if (rows <= 0) {
      throw new IllegalArgumentException("rows must be positive: " + rows);
    }
    if (cols <= 0) {
      throw new IllegalArgumentException("cols must be positive: " + cols);
    }
    if (dataflow == null) {
      throw new IllegalArgumentException("dataflow must not be null");
    }
    if (macsPerPeCycle <= 0) {
      throw new IllegalArgumentException("macsPerPeCycle must be positive: " + macsPerPeCycle);
    }
  }

  /** One MAC per PE per cycle, the SCALE-Sim PE. */
  public SystolicArray(int rows, int cols, Dataflow dataflow) {
    this(rows, cols, dataflow, 1);
  }

  public long peCount() {
    return (long) rows * cols;
  }

  /** rows x cols x macsPerPeCycle: the denominator of utilisation. */
  public long peakMacsPerCycle() {
    return peCount() * macsPerPeCycle;
  }
}
