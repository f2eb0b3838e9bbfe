package io.duplexsim.units.systolic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The key test: for small GEMMs, every fold's {@link SystolicTiming#foldCycles} equals the cycle
 * count of a literal PE-grid simulation of that fold, for both dataflows and several array shapes,
 * and the folds' results assemble into the exact product.
 */
class SystolicTimingExactnessTest {
  private static final int[][] ARRAYS = {{4, 4}, {8, 4}, {3, 5}, {1, 1}, {1, 6}, {6, 1}, {16, 16}};
  private static final int SHAPES_PER_ARRAY = 25;

  static List<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Dataflow df : Dataflow.values()) {
      for (int[] rc : ARRAYS) {
        // A seeded stream per (dataflow, array) so a failure names a reproducible case.
        SplittableRandom rnd = new SplittableRandom(31L * rc[0] + 7L * rc[1] + df.ordinal());
        int bound = 3 * Math.max(rc[0], rc[1]);
        for (int s = 0; s < SHAPES_PER_ARRAY; s++) {
          int m = 1 + rnd.nextInt(bound);
          int k = 1 + rnd.nextInt(bound);
          int n = 1 + rnd.nextInt(bound);
          out.add(Arguments.of(df, rc[0], rc[1], m, k, n, rnd.nextLong()));
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}x{2} m={3} k={4} n={5}")
  @MethodSource("cases")
  void everyFoldMatchesThePeGrid(Dataflow df, int r, int c, int m, int k, int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[][] x = random(rnd, m, k);
    long[][] w = random(rnd, k, n);
    GemmSchedule s = SystolicTiming.plan(new SystolicArray(r, c, df), m, k, n);

    long[][] y = new long[m][n];
    long simulatedTotal = 0;
    for (int f = 0; f < s.folds(); f++) {
      int rowFold = f % s.rowFolds();
      int colFold = f / s.rowFolds();
      int m0 = df == Dataflow.WEIGHT_STATIONARY ? 0 : rowFold * r;
      int k0 = df == Dataflow.WEIGHT_STATIONARY ? rowFold * r : 0;
      int n0 = colFold * c;
      int mf = s.foldM(f);
      int kf = s.foldK(f);
      int nf = s.foldN(f);
      PeGridSimulator.Result res =
          PeGridSimulator.run(df, r, c, slice(x, m0, mf, k0, kf), slice(w, k0, kf, n0, nf));
      assertEquals(
          res.cycles(), SystolicTiming.foldCycles(df, r, c, mf, kf, nf),
          "fold " + f + " (" + mf + "x" + kf + "x" + nf + ")");
      assertEquals(res.cycles(), s.foldCycles(f));
      simulatedTotal += res.cycles();
      for (int i = 0; i < mf; i++) {
        for (int j = 0; j < nf; j++) {
          y[m0 + i][n0 + j] += res.y()[i][j]; // WS accumulates the k folds' partial products
        }
      }
    }
    assertEquals(simulatedTotal, s.computeCycles(), "closed-form sum over folds");
    long[][] expected = multiply(x, w);
    for (int i = 0; i < m; i++) {
      assertArrayEquals(expected[i], y[i], "row " + i + " of Y");
    }
  }

  private static long[][] random(SplittableRandom rnd, int rows, int cols) {
    long[][] a = new long[rows][cols];
    for (long[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = rnd.nextInt(-9, 10);
      }
    }
    return a;
  }

  private static long[][] slice(long[][] a, int r0, int rows, int c0, int cols) {
    long[][] s = new long[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(a[r0 + i], c0, s[i], 0, cols);
    }
    return s;
  }

  private static long[][] multiply(long[][] x, long[][] w) {
    int m = x.length;
    int k = w.length;
    int n = w[0].length;
    long[][] y = new long[m][n];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        for (int j = 0; j < n; j++) {
          y[i][j] += x[i][p] * w[p][j];
        }
      }
    }
    return y;
  }
}
