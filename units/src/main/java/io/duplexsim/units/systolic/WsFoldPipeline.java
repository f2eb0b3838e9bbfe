package io.duplexsim.units.systolic;

/**
 * A weight-stationary array with double-buffered weights (TPU style): while fold f streams its X rows
 * through the active weights, fold f+1's weights shift down through a second (shadow) register per PE,
 * and each PE switches to them when fold f+1's first operand reaches it. Consecutive folds overlap, so
 * a long stream of folds with many X rows runs at one row per cycle instead of paying
 * {@link SystolicTiming}'s preload and skew per fold.
 *
 * <p>Fold f preloads from cycle {@code P_f} (R cycles) and streams from {@code S_f} (X row mi enters
 * array row i at {@code S_f + mi + i}). The earliest legal schedule, checked register by register
 * against a literal PE-grid simulation by test:
 *
 * <pre>
 * P_0 = ready_0                       S_0 = P_0 + R
 * P_f = max(ready_f, P_{f-1} + R,     the shadow chain is busy R cycles per fold
 *           S_{f-1} + kFold_{f-1}     every PE fold f-1 uses (rows below kFold, all C columns the
 *                   + C - 2)          X rows cross) must have switched to it before the chain
 *                                     shifts again; PE(i,j) switches at S_{f-1} + i + j
 * S_f = max(P_f + R,                  fold f's weights are all in the shadow registers
 *           S_{f-1} + mFold_{f-1})    one X row per cycle at the left edge
 * end = max_f (S_f + mFold_f + R + nFold_f - 2)   the last output leaves the bottom edge
 * </pre>
 *
 * A single fold costs {@code 2R + mFold + nFold - 2}, as in {@link SystolicTiming#foldCycles}.
 * {@code ready_f} is when the fold's operands are in SRAM (the memory seam). Stateful: one instance
 * per array.
 */
public final class WsFoldPipeline {
  private final int rows;
  private final int cols;
  private long lastPreload = Long.MIN_VALUE;
  private long lastStream = Long.MIN_VALUE;
  private int lastM;
  private int lastK;
  private long end;
  private long folds;
  private long usefulMacs;

  public WsFoldPipeline(int rows, int cols) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("array must have positive rows and cols: " + rows + "x" + cols);
    }
    this.rows = rows;
    this.cols = cols;
  }

  /**
   * Schedules the next fold of {@code mFold x kFold x nFold} (k at most rows, n at most cols) whose
   * operands are ready at {@code readyCycle}; returns the cycle its X stream starts.
   */
  public long issue(int mFold, int kFold, int nFold, long readyCycle) {
    if (mFold <= 0 || kFold <= 0 || nFold <= 0 || kFold > rows || nFold > cols) {
      throw new IllegalArgumentException("fold " + mFold + "x" + kFold + "x" + nFold + " does not fit "
          + rows + "x" + cols);
    }
    long preload = readyCycle;
    long stream;
    if (folds == 0) {
      stream = preload + rows;
    } else {
      preload = Math.max(preload, Math.max(lastPreload + rows, lastStream + lastK + cols - 2));
      stream = Math.max(preload + rows, lastStream + lastM);
    }
    lastPreload = preload;
    lastStream = stream;
    lastM = mFold;
    lastK = kFold;
    end = Math.max(end, stream + mFold + rows + nFold - 2);
    folds++;
    usefulMacs += (long) mFold * kFold * nFold;
    return stream;
  }

  /** Preload start of the last issued fold. */
  public long lastPreload() {
    return lastPreload;
  }

  /** Cycle after the last X row of the last issued fold has entered the array: its SRAM buffer is free. */
  public long streamEnd() {
    return folds == 0 ? 0 : lastStream + lastM + rows - 1;
  }

  /** Cycle at which the last output of every issued fold has left the array. */
  public long end() {
    return end;
  }

  public long folds() {
    return folds;
  }

  public long usefulMacs() {
    return usefulMacs;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }
}
