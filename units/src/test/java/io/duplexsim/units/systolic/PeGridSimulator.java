package io.duplexsim.units.systolic;

import java.util.ArrayList;
import java.util.List;

/**
 * Test oracle: a literal cycle-by-cycle simulation of an R x C PE grid running one fold
 * Y[m,n] = X[m,k] W[k,n], moving actual values and a tag (which m or k they belong to) through
 * per-PE registers each cycle, with SCALE-Sim's skewed operand injection. It checks the numbers and
 * reports the cycle count at which the last needed output has left the bottom edge. Deliberately
 * naive: no formula appears here, only register transfers.
 *
 * <p>Conventions (shared with {@link SystolicTiming}): cycle 0 is the first cycle anything enters
 * the array; a value written to a register in cycle t is read by the neighbour in cycle t+1; a value
 * in the bottom row's output register at the end of cycle t has left the array, so the count is
 * t+1. The fold occupies the top-left mFold/kFold x nFold PEs; unused PEs hold zero weights or see
 * bubbles, and their outputs are discarded.
 */
final class PeGridSimulator {
  private static final int NONE = -1;

  /** Y is the fold's product; cycles is when its last element left the array. */
  record Result(long[][] y, long cycles) {}

  private PeGridSimulator() {}

  static Result run(Dataflow dataflow, int r, int c, long[][] x, long[][] w) {
    int m = x.length;
    int k = w.length;
    int n = w[0].length;
    if (x[0].length != k) {
      throw new IllegalArgumentException("inner dimensions differ");
    }
    return dataflow == Dataflow.WEIGHT_STATIONARY
        ? weightStationary(r, c, x, w, m, k, n)
        : outputStationary(r, c, x, w, m, k, n);
  }

  /**
   * Weight-stationary: W[k,n] shifts in from the top, one row per cycle for R cycles (row R-1 of the
   * padded tile first). Then X[mi, i] enters row i from the left at cycle R + mi + i, moves one PE
   * right per cycle; each PE adds w * x to the partial sum from above and passes it down.
   */
  private static Result weightStationary(int r, int c, long[][] x, long[][] w, int m, int k, int n) {
    if (k > r || n > c) {
      throw new IllegalArgumentException("fold does not fit");
    }
    long[][] weight = new long[r][c];
    long t = 0;
    // Preload: every cycle the weight registers shift down and a new row enters at the top.
    for (; t < r; t++) {
      for (int i = r - 1; i > 0; i--) {
        System.arraycopy(weight[i - 1], 0, weight[i], 0, c);
      }
      int row = (int) (r - 1 - t);
      for (int j = 0; j < c; j++) {
        weight[0][j] = row < k && j < n ? w[row][j] : 0;
      }
    }
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        check(weight[i][j] == (i < k && j < n ? w[i][j] : 0), "preload placed W wrongly");
      }
    }
    long[][] aVal = new long[r][c];
    int[][] aTag = filled(r, c);
    long[][] psVal = new long[r][c];
    int[][] psTag = filled(r, c);
    long[][] aValNext = new long[r][c];
    int[][] aTagNext = filled(r, c);
    long[][] psValNext = new long[r][c];
    int[][] psTagNext = filled(r, c);

    long[][] y = new long[m][n];
    boolean[][] seen = new boolean[m][n];
    int collected = 0;
    long lastOut = NONE;
    long limit = 10L * (r + c + m + k + n) + 10;
    for (; collected < m * n; t++) {
      check(t < limit, "simulation did not finish");
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < c; j++) {
          // Operand from the left neighbour's register, or the skewed edge injection.
          long a;
          int aT;
          if (j == 0) {
            long mi = t - r - i;
            boolean valid = i < k && mi >= 0 && mi < m;
            aT = valid ? (int) mi : NONE;
            a = valid ? x[(int) mi][i] : 0;
          } else {
            aT = aTag[i][j - 1];
            a = aVal[i][j - 1];
          }
          // Partial sum from above, or a fresh zero at the top row for a valid operand.
          long ps;
          int psT;
          if (i == 0) {
            psT = aT;
            ps = 0;
          } else {
            psT = psTag[i - 1][j];
            ps = psVal[i - 1][j];
          }
          if (aT != NONE) {
            check(psT == aT, "partial sum and operand belong to different rows of X");
            ps += weight[i][j] * a;
          }
          aValNext[i][j] = a;
          aTagNext[i][j] = aT;
          psValNext[i][j] = ps;
          psTagNext[i][j] = psT;
        }
      }
      // Swap register banks: writes of cycle t become visible in cycle t+1.
      long[][] lv = aVal;
      aVal = aValNext;
      aValNext = lv;
      int[][] li = aTag;
      aTag = aTagNext;
      aTagNext = li;
      lv = psVal;
      psVal = psValNext;
      psValNext = lv;
      li = psTag;
      psTag = psTagNext;
      psTagNext = li;
      // The bottom row's partial sums leave the array at the end of this cycle.
      for (int j = 0; j < n; j++) {
        int mi = psTag[r - 1][j];
        if (mi != NONE) {
          check(!seen[mi][j], "output left twice");
          seen[mi][j] = true;
          y[mi][j] = psVal[r - 1][j];
          collected++;
          lastOut = t + 1;
        }
      }
    }
    return new Result(y, lastOut);
  }

  /**
   * Output-stationary: X[i, kt] enters row i from the left at cycle kt + i and W[kt, j] enters
   * column j from the top at cycle kt + j; each PE multiplies the pair it holds into its own
   * accumulator and passes X right and W down. When every PE has done all k MACs, the accumulators
   * shift down one row per cycle and leave the bottom edge.
   */
  private static Result outputStationary(int r, int c, long[][] x, long[][] w, int m, int k, int n) {
    if (m > r || n > c) {
      throw new IllegalArgumentException("fold does not fit");
    }
    long[][] aVal = new long[r][c];
    int[][] aTag = filled(r, c);
    long[][] bVal = new long[r][c];
    int[][] bTag = filled(r, c);
    long[][] aValNext = new long[r][c];
    int[][] aTagNext = filled(r, c);
    long[][] bValNext = new long[r][c];
    int[][] bTagNext = filled(r, c);
    long[][] acc = new long[r][c];
    int[][] macs = new int[r][c];
    long limit = 10L * (r + c + m + k + n) + 10;

    long t = 0;
    int donePes = 0;
    for (; donePes < m * n; t++) {
      check(t < limit, "compute did not finish");
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < c; j++) {
          long a;
          int aT;
          if (j == 0) {
            long kt = t - i;
            boolean valid = i < m && kt >= 0 && kt < k;
            aT = valid ? (int) kt : NONE;
            a = valid ? x[i][(int) kt] : 0;
          } else {
            aT = aTag[i][j - 1];
            a = aVal[i][j - 1];
          }
          long b;
          int bT;
          if (i == 0) {
            long kt = t - j;
            boolean valid = j < n && kt >= 0 && kt < k;
            bT = valid ? (int) kt : NONE;
            b = valid ? w[(int) kt][j] : 0;
          } else {
            bT = bTag[i - 1][j];
            b = bVal[i - 1][j];
          }
          if (i < m && j < n) {
            check(aT == bT, "X and W out of step in PE");
          }
          if (aT != NONE && bT != NONE) {
            acc[i][j] += a * b;
            if (++macs[i][j] == k) {
              donePes++;
            }
          }
          aValNext[i][j] = a;
          aTagNext[i][j] = aT;
          bValNext[i][j] = b;
          bTagNext[i][j] = bT;
        }
      }
      long[][] lv = aVal;
      aVal = aValNext;
      aValNext = lv;
      int[][] li = aTag;
      aTag = aTagNext;
      aTagNext = li;
      lv = bVal;
      bVal = bValNext;
      bValNext = lv;
      li = bTag;
      bTag = bTagNext;
      bTagNext = li;
    }
    // Drain: the output registers hold each PE's row index as tag; shift down one row per cycle.
    long[][] out = new long[r][c];
    int[][] outRow = filled(r, c);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        out[i][j] = acc[i][j];
        outRow[i][j] = i;
      }
    }
    long[][] y = new long[m][n];
    int collected = 0;
    long lastOut = NONE;
    for (; collected < m * n; t++) {
      check(t < limit, "drain did not finish");
      for (int j = 0; j < c; j++) {
        if (outRow[r - 1][j] != NONE) {
          y[outRow[r - 1][j]][j] = out[r - 1][j];
          collected++;
          lastOut = t + 1;
        }
      }
      for (int i = r - 1; i > 0; i--) {
        System.arraycopy(out[i - 1], 0, out[i], 0, c);
        System.arraycopy(outRow[i - 1], 0, outRow[i], 0, c);
      }
      java.util.Arrays.fill(outRow[0], NONE);
    }
    return new Result(y, lastOut);
  }

  /** Products of a pipelined fold sequence and when the last output left the array. */
  record PipelinedResult(List<long[][]> y, long cycles) {}

  /**
   * Weight-stationary with double-buffered weights, run to a given schedule: fold f's weights shift
   * down a shadow register chain during cycles [preload[f], preload[f] + R) (tag: fold and source
   * row), and fold f's X row mi enters array row i at stream[f] + mi + i. A PE copies its shadow
   * weight into the active register when an operand of a new fold reaches it. Any hazard (two
   * preloads at once, two folds' operands injected together, a switch finding the shadow holding
   * some other fold's or row's weight, an operand meeting another fold's partial sum) fails with an
   * AssertionError, so the schedule is checked, not trusted.
   */
  static PipelinedResult weightStationaryPipelined(int r, int c, List<long[][]> xs, List<long[][]> ws,
      long[] preload, long[] stream) {
    int folds = xs.size();
    int[] mOf = new int[folds];
    int[] kOf = new int[folds];
    int[] nOf = new int[folds];
    List<long[][]> ys = new ArrayList<>();
    int outputs = 0;
    for (int f = 0; f < folds; f++) {
      mOf[f] = xs.get(f).length;
      kOf[f] = ws.get(f).length;
      nOf[f] = ws.get(f)[0].length;
      if (kOf[f] > r || nOf[f] > c) {
        throw new IllegalArgumentException("fold does not fit");
      }
      ys.add(new long[mOf[f]][nOf[f]]);
      outputs += mOf[f] * nOf[f];
    }
    long[][] active = new long[r][c];
    int[][] activeFold = filled(r, c);
    long[][] shadow = new long[r][c];
    int[][] shadowTag = filled(r, c); // fold * r + source row
    long[][] aVal = new long[r][c];
    int[][] aTag = filled(r, c); // fold * 1_000_000 + mi
    long[][] psVal = new long[r][c];
    int[][] psTag = filled(r, c);
    long[][] aValNext = new long[r][c];
    int[][] aTagNext = filled(r, c);
    long[][] psValNext = new long[r][c];
    int[][] psTagNext = filled(r, c);
    long limit = 0;
    for (int f = 0; f < folds; f++) {
      limit = Math.max(limit, stream[f] + preload[f] + 4L * (r + c + mOf[f]) + 10);
    }
    int collected = 0;
    long lastOut = NONE;
    for (long t = 0; collected < outputs; t++) {
      check(t < limit, "simulation did not finish");
      // Shadow chain: at most one fold preloading; all rows shift, the top row takes the next W row.
      int loading = NONE;
      for (int f = 0; f < folds; f++) {
        if (t >= preload[f] && t < preload[f] + r) {
          check(loading == NONE, "two folds preload at once");
          loading = f;
        }
      }
      // PEs read their shadow registers this cycle before the chain's writes land (register semantics).
      long[][] shadowNow = copy(shadow);
      int[][] shadowTagNow = copy(shadowTag);
      if (loading != NONE) {
        for (int i = r - 1; i > 0; i--) {
          System.arraycopy(shadow[i - 1], 0, shadow[i], 0, c);
          System.arraycopy(shadowTag[i - 1], 0, shadowTag[i], 0, c);
        }
        int row = (int) (r - 1 - (t - preload[loading]));
        for (int j = 0; j < c; j++) {
          shadow[0][j] = row < kOf[loading] && j < nOf[loading] ? ws.get(loading)[row][j] : 0;
          shadowTag[0][j] = loading * r + row;
        }
      }
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < c; j++) {
          long a = 0;
          int aT = NONE;
          if (j == 0) {
            for (int f = 0; f < folds; f++) {
              long mi = t - stream[f] - i;
              if (i < kOf[f] && mi >= 0 && mi < mOf[f]) {
                check(aT == NONE, "two folds inject into row " + i + " at cycle " + t);
                aT = f * 1_000_000 + (int) mi;
                a = xs.get(f)[(int) mi][i];
              }
            }
          } else {
            aT = aTag[i][j - 1];
            a = aVal[i][j - 1];
          }
          long ps;
          int psT;
          if (i == 0) {
            psT = aT;
            ps = 0;
          } else {
            psT = psTag[i - 1][j];
            ps = psVal[i - 1][j];
          }
          if (aT != NONE) {
            int fold = aT / 1_000_000;
            if (activeFold[i][j] != fold) {
              check(shadowTagNow[i][j] == fold * r + i, "PE(" + i + "," + j + ") switches to fold " + fold
                  + " at cycle " + t + " but its shadow register does not hold that fold's row " + i);
              active[i][j] = shadowNow[i][j];
              activeFold[i][j] = fold;
            }
            check(psT == aT, "partial sum and operand belong to different rows or folds");
            ps += active[i][j] * a;
          }
          aValNext[i][j] = a;
          aTagNext[i][j] = aT;
          psValNext[i][j] = ps;
          psTagNext[i][j] = psT;
        }
      }
      long[][] lv = aVal;
      aVal = aValNext;
      aValNext = lv;
      int[][] li = aTag;
      aTag = aTagNext;
      aTagNext = li;
      lv = psVal;
      psVal = psValNext;
      psValNext = lv;
      li = psTag;
      psTag = psTagNext;
      psTagNext = li;
      for (int j = 0; j < c; j++) {
        int tag = psTag[r - 1][j];
        if (tag != NONE && j < nOf[tag / 1_000_000]) {
          ys.get(tag / 1_000_000)[tag % 1_000_000][j] = psVal[r - 1][j];
          collected++;
          lastOut = t + 1;
        }
      }
    }
    return new PipelinedResult(ys, lastOut);
  }

  private static long[][] copy(long[][] a) {
    long[][] b = new long[a.length][];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i].clone();
    }
    return b;
  }

  private static int[][] copy(int[][] a) {
    int[][] b = new int[a.length][];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i].clone();
    }
    return b;
  }

  private static int[][] filled(int r, int c) {
    int[][] a = new int[r][c];
    for (int[] row : a) {
      java.util.Arrays.fill(row, NONE);
    }
    return a;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }
}
