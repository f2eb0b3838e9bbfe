package io.duplexsim.units.xpu;

/**
 * How a GEMM Y[m,n] = X[m,k] W[k,n] is cut into SM tiles: {@code mTiles x nTiles} output tiles, each
 * streaming its K range in steps of {@code tileK}; with {@code splitK > 1} the K steps are split over
 * that many tiles whose partial sums meet in L2 (what cuBLAS does when there are fewer tiles than
 * SMs). {@link #choose} picks the tile width and split, as a library heuristic would; what the last
 * wave and the bandwidths then cost is simulated, not assumed.
 */
public record GemmTiling(int m, int k, int n, int tileM, int tileN, int tileK, int mTiles, int nTiles, int kSteps,
    int splitK) {

  /** K steps a split keeps at least, so that its partial sums are worth their L2 traffic. */
  static final int MIN_STEPS_PER_SPLIT = 4;

  /**
   * Picks the tile width and K split with the shortest estimated time, as a library heuristic would:
   * waves of work items, each item as slow as its arrays or its share of the L2 bandwidth. The
   * estimate only chooses the shape; the run itself is simulated. Ties keep fewer splits and wider
   * tiles.
   */
  public static GemmTiling choose(XpuConfig x, int m, int k, int n, int arrayColsEffective, double xBytes,
      double wBytes) {
    return choose(x, m, k, n, arrayColsEffective, xBytes, wBytes, x.sms(), true);
  }

  /**
   * The same choice for a problem that gets {@code smShare} of the SMs (and that share of the L2
   * bandwidth), as one problem of a grouped GEMM does; {@code allowSplit} false keeps K whole.
   */
  static GemmTiling choose(XpuConfig x, int m, int k, int n, int arrayColsEffective, double xBytes,
      double wBytes, int smShare, boolean allowSplit) {
    int minTileN = x.arraysPerSm() * arrayColsEffective;
    int mTiles = ceil(m, x.tileM());
    int rows = Math.min(m, x.tileM());
    int kSteps = ceil(k, x.tileK());
    int maxSplit = allowSplit ? Math.max(1, Math.min(16, kSteps / MIN_STEPS_PER_SPLIT)) : 1;
    double l2Share = smShare == x.sms() ? x.l2BytesPerCycle() : x.l2BytesPerCycle() * smShare / x.sms();
    int bestN = x.tileN();
    int bestSplit = 1;
    double bestTime = Double.MAX_VALUE;
    for (int split = 1; split <= maxSplit; split++) {
      for (int tileN = x.tileN(); tileN > 0 && tileN % x.arraysPerSm() == 0; tileN /= 2) {
        long items = (long) mTiles * ceil(n, tileN) * split;
        long waves = (items + smShare - 1) / smShare;
        double stepsPerItem = (double) kSteps / split;
        int perArray = tileN / x.arraysPerSm();
        // Weight-stationary folds stream the tile's rows, at least the pipeline's refill interval.
        double foldCycles = Math.max(rows, 2.0 * x.arrayRows() + arrayColsEffective - 2);
        double compute = stepsPerItem * ceil(x.tileK(), x.arrayRows()) * ceil(perArray, arrayColsEffective) * foldCycles;
        double busySms = Math.min(items, smShare);
        double bytesPerCycle = Math.min(x.smLoadBytesPerCycle(), l2Share / busySms);
        double load = stepsPerItem * (rows * x.tileK() * xBytes + x.tileK() * tileN * wBytes) / bytesPerCycle;
        double time = waves * Math.max(compute, load);
        if (time < bestTime * 0.98) { // only a clear gain beats a preferred shape
          bestTime = time;
          bestN = tileN;
          bestSplit = split;
        }
        if (tileN / 2 < minTileN) {
          break;
        }
      }
    }
    return new GemmTiling(m, k, n, x.tileM(), bestN, x.tileK(), mTiles, ceil(n, bestN), kSteps, bestSplit);
  }

  /** Work items: output tiles times K splits. */
  public int tiles() {
    return mTiles * nTiles * splitK;
  }

  /**
   * Tile t's output block: rasterised along m first (the SMs working at once then share W chunks, the
   * larger operand at LLM shapes, in L2), K split outermost.
   */
  public int mTile(int t) {
    return t % mTiles;
  }

  public int nTile(int t) {
    return (t / mTiles) % nTiles;
  }

  public int split(int t) {
    return t / (mTiles * nTiles);
  }

  public int kStepBegin(int t) {
    return (int) ((long) kSteps * split(t) / splitK);
  }

  public int kStepEnd(int t) {
    return (int) ((long) kSteps * (split(t) + 1) / splitK);
  }

  public int rows(int mTile) {
    return Math.min(tileM, m - mTile * tileM);
  }

  public int cols(int nTile) {
    return Math.min(tileN, n - nTile * tileN);
  }

  public int depth(int kStep) {
    return Math.min(tileK, k - kStep * tileK);
  }

  static int ceil(int a, int b) {
    return (a + b - 1) / b;
  }
}
