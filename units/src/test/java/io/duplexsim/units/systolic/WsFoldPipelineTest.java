package io.duplexsim.units.systolic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipelined weight-stationary schedule against the literal PE grid with shadow weight registers:
 * the grid runs the schedule without a hazard, computes every fold's product, finishes on the cycle the
 * formula says, and moving any fold's preload or stream one cycle earlier than the formula allows
 * (when the memory does not bind) breaks it.
 */
class WsFoldPipelineTest {
  private static final int[][] ARRAYS = {{4, 4}, {3, 5}, {6, 2}, {1, 1}, {5, 1}, {1, 4}};

  private record Case(int r, int c, List<long[][]> xs, List<long[][]> ws, long[] ready) {}

  private static Case randomCase(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] rc = ARRAYS[rnd.nextInt(ARRAYS.length)];
    int folds = 1 + rnd.nextInt(5);
    List<long[][]> xs = new ArrayList<>();
    List<long[][]> ws = new ArrayList<>();
    long[] ready = new long[folds];
    long t = 0;
    for (int f = 0; f < folds; f++) {
      int m = 1 + rnd.nextInt(3 * (rc[0] + rc[1]));
      int k = 1 + rnd.nextInt(rc[0]);
      int n = 1 + rnd.nextInt(rc[1]);
      xs.add(random(rnd, m, k));
      ws.add(random(rnd, k, n));
      t += rnd.nextInt(4) == 0 ? rnd.nextInt(20) : 0; // sometimes the operands arrive late
      ready[f] = t;
    }
    return new Case(rc[0], rc[1], xs, ws, ready);
  }

  private static long[][] schedule(Case k, WsFoldPipeline p) {
    int folds = k.xs().size();
    long[] preload = new long[folds];
    long[] stream = new long[folds];
    for (int f = 0; f < folds; f++) {
      stream[f] = p.issue(k.xs().get(f).length, k.ws().get(f).length, k.ws().get(f)[0].length, k.ready()[f]);
      preload[f] = p.lastPreload();
    }
    return new long[][] {preload, stream};
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
      25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40})
  void scheduleRunsOnThePeGridAndEndsWhenTheFormulaSays(long seed) {
    Case k = randomCase(seed);
    WsFoldPipeline p = new WsFoldPipeline(k.r(), k.c());
    long[][] s = schedule(k, p);
    PeGridSimulator.PipelinedResult res =
        PeGridSimulator.weightStationaryPipelined(k.r(), k.c(), k.xs(), k.ws(), s[0], s[1]);
    assertEquals(res.cycles(), p.end(), "end cycle");
    for (int f = 0; f < k.xs().size(); f++) {
      long[][] expect = multiply(k.xs().get(f), k.ws().get(f));
      for (int i = 0; i < expect.length; i++) {
        assertArrayEquals(expect[i], res.y().get(f)[i], "fold " + f + " row " + i);
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void noFoldCanStartEarlierThanTheFormula(long seed) {
    Case k = randomCase(seed);
    long[][] s = schedule(k, new WsFoldPipeline(k.r(), k.c()));
    for (int f = 1; f < k.xs().size(); f++) {
      if (s[0][f] > k.ready()[f]) {
        long[][] early = {s[0].clone(), s[1].clone()};
        early[0][f]--;
        assertThrows(AssertionError.class, () -> PeGridSimulator.weightStationaryPipelined(k.r(), k.c(), k.xs(),
            k.ws(), early[0], early[1]), "preload of fold " + f + " one cycle early");
      }
      long[][] early = {s[0].clone(), s[1].clone()};
      early[1][f]--;
      assertThrows(AssertionError.class, () -> PeGridSimulator.weightStationaryPipelined(k.r(), k.c(), k.xs(),
          k.ws(), early[0], early[1]), "stream of fold " + f + " one cycle early");
    }
  }

  @Test
  void oneFoldCostsWhatTheUnpipelinedFormulaSays() {
    WsFoldPipeline p = new WsFoldPipeline(16, 32);
    p.issue(100, 16, 32, 0);
    assertEquals(SystolicTiming.foldCycles(Dataflow.WEIGHT_STATIONARY, 16, 32, 100, 16, 32), p.end());
  }

  @Test
  void longStreamsHideThePreloadAndRunAtOneRowPerCycle() {
    WsFoldPipeline p = new WsFoldPipeline(16, 32);
    int folds = 100;
    for (int f = 0; f < folds; f++) {
      p.issue(128, 16, 32, 0);
    }
    // First preload, 100 streams of 128 rows back to back, then the last fold's skew and drain.
    assertEquals(16 + folds * 128L + 16 + 32 - 2, p.end());
  }

  private static long[][] random(SplittableRandom rnd, int rows, int cols) {
    long[][] a = new long[rows][cols];
    for (long[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = rnd.nextInt(19) - 9;
      }
    }
    return a;
  }

  private static long[][] multiply(long[][] x, long[][] w) {
    long[][] y = new long[x.length][w[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int t = 0; t < w.length; t++) {
        for (int j = 0; j < w[0].length; j++) {
          y[i][j] += x[i][t] * w[t][j];
        }
      }
    }
    return y;
  }
}
