package io.duplexsim.units.systolic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-checked cases for the oracle itself, so the exactness test is not circular. */
class PeGridSimulatorTest {
  @Test
  void oneByOneWeightStationaryIsPreloadThenOneCyclePerRow() {
    // 1 preload cycle, then X[0] enters at cycle 1 and leaves at its end (count 2), X[2] at count 4.
    PeGridSimulator.Result r =
        PeGridSimulator.run(Dataflow.WEIGHT_STATIONARY, 1, 1, new long[][] {{2}, {3}, {5}}, new long[][] {{7}});
    assertEquals(4, r.cycles());
    assertArrayEquals(new long[] {14}, r.y()[0]);
    assertArrayEquals(new long[] {35}, r.y()[2]);
  }

  @Test
  void twoByTwoWeightStationaryHandCount() {
    // Preload 2; X[1][1] enters row 1 at 2+1+1 = 4, reaches column 1 at 5, leaves the bottom: 6.
    long[][] x = {{1, 2}, {3, 4}};
    long[][] w = {{5, 6}, {7, 8}};
    PeGridSimulator.Result r = PeGridSimulator.run(Dataflow.WEIGHT_STATIONARY, 2, 2, x, w);
    assertEquals(6, r.cycles());
    assertArrayEquals(new long[] {19, 22}, r.y()[0]);
    assertArrayEquals(new long[] {43, 50}, r.y()[1]);
  }

  @Test
  void twoByTwoOutputStationaryHandCount() {
    // Last MAC: k=1 at PE(1,1) in cycle 1+1+1 = 3; drain 2 rows: cycles 4, 5 -> count 6.
    long[][] x = {{1, 2}, {3, 4}};
    long[][] w = {{5, 6}, {7, 8}};
    PeGridSimulator.Result r = PeGridSimulator.run(Dataflow.OUTPUT_STATIONARY, 2, 2, x, w);
    assertEquals(6, r.cycles());
    assertArrayEquals(new long[] {19, 22}, r.y()[0]);
    assertArrayEquals(new long[] {43, 50}, r.y()[1]);
  }

  @Test
  void fullFoldsMatchScaleSimFormula() {
    // SCALE-Sim (Samajdar et al. 2018): 2*Sr + Sc + T - 2 for a fold filling the array.
    int r = 5;
    int c = 3;
    int t = 7;
    long ws = PeGridSimulator.run(Dataflow.WEIGHT_STATIONARY, r, c, ones(t, r), ones(r, c)).cycles();
    long os = PeGridSimulator.run(Dataflow.OUTPUT_STATIONARY, r, c, ones(r, t), ones(t, c)).cycles();
    assertEquals(2L * r + c + t - 2, ws);
    assertEquals(2L * r + c + t - 2, os);
  }

  private static long[][] ones(int rows, int cols) {
    long[][] a = new long[rows][cols];
    for (long[] row : a) {
      java.util.Arrays.fill(row, 1);
    }
    return a;
  }
}
