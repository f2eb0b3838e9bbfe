package io.duplexsim.units.systolic;

/**
 * A GEMM Y[m,n] = X[m,k] W[k,n] cut into folds for one {@link SystolicArray} (see
 * {@link SystolicTiming#plan}).
 *
 * <p>The array's rows carry k (weight-stationary) or m (output-stationary), its columns carry n.
 * Folds are numbered in SCALE-Sim's loop order, column fold outer and row fold inner: fold f is row
 * fold {@code f % rowFolds} of column fold {@code f / rowFolds}. Edge folds are narrower.
 *
 * @param computeCycles sum of {@link #foldCycles} over all folds
 */
public record GemmSchedule(
    SystolicArray array, int m, int k, int n, int rowFolds, int colFolds, long computeCycles) {

  public int folds() {
    return rowFolds * colFolds;
  }

  /** Extent of fold f along the array's rows (k for WS, m for OS). */
  public int foldRows(int f) {
    int rowDim = array.dataflow() == Dataflow.WEIGHT_STATIONARY ? k : m;
    return edge(rowDim, array.rows(), checkFold(f) % rowFolds);
  }

  /** Extent of fold f along the array's columns (n). */
  public int foldCols(int f) {
    return edge(n, array.cols(), checkFold(f) / rowFolds);
  }

  public int foldM(int f) {
    return array.dataflow() == Dataflow.WEIGHT_STATIONARY ? m : foldRows(f);
  }

  public int foldK(int f) {
    return array.dataflow() == Dataflow.WEIGHT_STATIONARY ? foldRows(f) : k;
  }

  public int foldN(int f) {
    return foldCols(f);
  }

  /** {@link SystolicTiming#foldCycles} of fold f. */
  public long foldCycles(int f) {
    return SystolicTiming.foldCycles(
        array.dataflow(), array.rows(), array.cols(), foldM(f), foldK(f), foldN(f));
  }

  /**
   * Operand elements fold f reads from SRAM: its X tile (mFold x kFold) plus its W tile
   * (kFold x nFold). Counted per fold without reuse across folds, so a feed sized from this moves
   * each X tile once per column fold and each W tile once per row fold (WS) - what a two-buffer
   * scheme without a larger operand cache does.
   */
  public long operandElements(int f) {
    long kf = foldK(f);
    return (long) foldM(f) * kf + kf * foldN(f);
  }

  /** m * k * n. */
  public long usefulMacs() {
    return (long) m * k * n;
  }

  /** Useful MACs / (R * C * macsPerPeCycle * computeCycles). */
  public double utilisation() {
    return usefulMacs() / ((double) array.peakMacsPerCycle() * computeCycles);
  }

  private int checkFold(int f) {
    if (f < 0 || f >= folds()) {
      throw new IndexOutOfBoundsException("fold " + f + " of " + folds());
    }
    return f;
  }

  private static int edge(int dim, int tile, int index) {
    return Math.min(tile, dim - index * tile);
  }
}
