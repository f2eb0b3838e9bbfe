package io.duplexsim.units.systolic;

/**
 * Closed-form cycle counts for a GEMM on a systolic array, exact with respect to a literal PE-grid
 * simulation (the tests' {@code PeGridSimulator}) under SCALE-Sim's conventions.
 *
 * <h2>One fold</h2>
 *
 * A fold uses the top-left part of the physical R x C array; data still has to cross the physical
 * edges (partial sums and drained outputs leave at the bottom of row R-1). Cycle 0 is the first cycle
 * in which anything enters the array; the count is the number of cycles until the last output has
 * left the bottom edge.
 *
 * <pre>
 * weight-stationary  (rows = k, cols = n, time = m):
 *   cycles = R                      preload: W shifts down from the top, one row per cycle
 *          + (R - 1) + (nFold - 1)  skew: X[m,i] enters row i at cycle R+m+i, reaches PE(i,j) at
 *                                   R+m+i+j; the partial sum crosses all R rows (unused rows add 0)
 *          + mFold                  steady state: one X row per cycle
 *          = 2R + mFold + nFold - 2
 *
 * output-stationary  (rows = m, cols = n, time = k):
 *   cycles = (mFold - 1) + (nFold - 1)  skew: X[i,t] and W[t,j] meet in PE(i,j) at cycle t+i+j
 *          + kFold                      steady state: one k step per cycle
 *          + R                          drain: finished Y values shift down and out of the bottom,
 *                                       row 0's value crosses all R rows
 *          = R + mFold + nFold + kFold - 2
 * </pre>
 *
 * For a full fold both reduce to SCALE-Sim's {@code 2*Sr + Sc + T - 2} (Sr = R, Sc = C, T = the
 * temporal dimension). SCALE-Sim v2 also charges edge folds as if they were full (it pads the
 * operand demand matrices to the array size); here a narrower edge fold finishes when its last used
 * column does, at most C-1 (WS) or R+C-2 (OS) cycles sooner per edge fold.
 *
 * <h2>A whole GEMM</h2>
 *
 * {@link #plan} cuts the spatial dimensions into ceil(rowsDim / R) x ceil(cols / C) folds and streams
 * the whole temporal dimension through each fold; folds run back to back without overlap (the next
 * fold's preload or skew does not hide under the previous drain, as in SCALE-Sim).
 */
public final class SystolicTiming {
  private SystolicTiming() {}

  /**
   * Cycles of one fold of {@code mFold x kFold x nFold} on an {@code r x c} array (formulas in the
   * class comment). The fold must fit: k and n (WS) or m and n (OS) at most r and c.
   */
  public static long foldCycles(Dataflow dataflow, int r, int c, int mFold, int kFold, int nFold) {
    positive("r", r);
    positive("c", c);
    positive("mFold", mFold);
    positive("kFold", kFold);
    positive("nFold", nFold);
    if (nFold > c) {
      throw new IllegalArgumentException("nFold " + nFold + " exceeds cols " + c);
    }
    switch (dataflow) {
      case WEIGHT_STATIONARY:
        if (kFold > r) {
          throw new IllegalArgumentException("kFold " + kFold + " exceeds rows " + r);
        }
        return 2L * r + mFold + nFold - 2;
      case OUTPUT_STATIONARY:
        if (mFold > r) {
          throw new IllegalArgumentException("mFold " + mFold + " exceeds rows " + r);
        }
        return (long) r + mFold + nFold + kFold - 2;
      default:
        throw new IllegalArgumentException("unknown dataflow " + dataflow);
    }
  }

  /**
   * Tiles Y[m,n] = X[m,k] W[k,n] into folds. WS: ceil(k/R) x ceil(n/C) folds each streaming all m
   * rows; OS: ceil(m/R) x ceil(n/C) folds each streaming all of k. Total compute cycles, summed over
   * the folds in closed form:
   *
   * <pre>
   * WS: folds * (2R + m - 2) + rowFolds * n
   * OS: folds * (R + k - 2) + colFolds * m + rowFolds * n
   * </pre>
   *
   * (the sum of the edge extents along a dimension is the dimension itself).
   */
  public static GemmSchedule plan(SystolicArray array, int m, int k, int n) {
    positive("m", m);
    positive("k", k);
    positive("n", n);
    if (array.macsPerPeCycle() != 1) {
      throw new IllegalArgumentException(
          "the fold formulas assume one MAC per PE per cycle, got " + array.macsPerPeCycle());
    }
    int r = array.rows();
    int c = array.cols();
    int spatialRows = array.dataflow() == Dataflow.WEIGHT_STATIONARY ? k : m;
    long rowFolds = ceilDiv(spatialRows, r);
    long colFolds = ceilDiv(n, c);
    long folds = rowFolds * colFolds;
    if (folds > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many folds: " + folds);
    }
    long cycles =
        array.dataflow() == Dataflow.WEIGHT_STATIONARY
            ? folds * (2L * r + m - 2) + rowFolds * n
            : folds * ((long) r + k - 2) + colFolds * m + rowFolds * n;
    return new GemmSchedule(array, m, k, n, (int) rowFolds, (int) colFolds, cycles);
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + v);
    }
  }
}
