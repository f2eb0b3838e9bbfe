package io.duplexsim.units.xpu;

/**
 * How a GEMM Y[m,n] = X[m,k] W[k,n] is cut into SM tiles: {@code mTiles x nTiles} output tiles, each
 * streaming its K range in steps of {@code tileK}; with {@code splitK > 1} the K steps are split over
 * that many tiles whose partial sums meet in L2 (what cuBLAS does when there are fewer tiles than
 * SMs). {@link #choose} picks the tile width and split that fill the SMs' waves best, as a library
 * heuristic would; what the last wave still loses is then simulated, not assumed.
 */
public record GemmTiling(int m, int k, int n, int tileM, int tileN, int tileK, int mTiles, int nTiles, int kSteps,
    int splitK) {

  /** K steps a split keeps at least, so that its partial sums are worth their L2 traffic. */
  static final int MIN_STEPS_PER_SPLIT = 4;

  public static GemmTiling choose(XpuConfig x, int m, int k, int n, int arrayColsEffective) {
    int minTileN = x.arraysPerSm() * arrayColsEffective;
    int mTiles = ceil(m, x.tileM());
    int kSteps = ceil(k, x.tileK());
    int maxSplit = Math.max(1, Math.min(16, kSteps / MIN_STEPS_PER_SPLIT));
    int bestN = x.tileN();
    int bestSplit = 1;
    double bestEfficiency = -1;
    // The tile width and K split whose work items fill the SMs' waves best; ties keep fewer splits and
    // wider tiles (more reuse per byte loaded).
    for (int split = 1; split <= maxSplit; split++) {
      for (int tileN = x.tileN(); tileN >= Math.min(minTileN, x.tileN()); tileN /= 2) {
        if (tileN % x.arraysPerSm() != 0) {
          break;
        }
        long items = (long) mTiles * ceil(n, tileN) * split;
        long waves = (items + x.sms() - 1) / x.sms();
        double efficiency = (double) items / (waves * x.sms());
        if (efficiency > bestEfficiency + 0.05) { // only a clear gain beats a preferred shape
          bestEfficiency = efficiency;
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
