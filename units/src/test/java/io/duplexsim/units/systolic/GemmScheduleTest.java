package io.duplexsim.units.systolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GemmScheduleTest {
  @ParameterizedTest
  @EnumSource(Dataflow.class)
  void closedFormEqualsSumOfFoldsForLargeShapes(Dataflow df) {
    SplittableRandom rnd = new SplittableRandom(42 + df.ordinal());
    for (int i = 0; i < 200; i++) {
      SystolicArray a = new SystolicArray(1 + rnd.nextInt(256), 1 + rnd.nextInt(256), df);
      GemmSchedule s = SystolicTiming.plan(a, 1 + rnd.nextInt(5000), 1 + rnd.nextInt(5000), 1 + rnd.nextInt(5000));
      long sum = 0;
      long rowsCovered = 0;
      long colsCovered = 0;
      for (int f = 0; f < s.folds(); f++) {
        sum += s.foldCycles(f);
        if (f / s.rowFolds() == 0) {
          rowsCovered += s.foldRows(f);
        }
        if (f % s.rowFolds() == 0) {
          colsCovered += s.foldCols(f);
        }
      }
      assertEquals(sum, s.computeCycles(), s.toString());
      assertEquals(df == Dataflow.WEIGHT_STATIONARY ? s.k() : s.m(), rowsCovered);
      assertEquals(s.n(), colsCovered);
      assertTrue(s.utilisation() > 0 && s.utilisation() <= 1, s.toString());
    }
  }

  @Test
  void foldCountsAreCeilDivisions() {
    GemmSchedule ws = SystolicTiming.plan(new SystolicArray(128, 128, Dataflow.WEIGHT_STATIONARY), 10, 300, 129);
    assertEquals(3, ws.rowFolds()); // k = 300 over 128 rows
    assertEquals(2, ws.colFolds()); // n = 129 over 128 cols
    assertEquals(6, ws.folds());
    assertEquals(44, ws.foldK(2)); // 300 - 256
    assertEquals(1, ws.foldN(5));
    assertEquals(10, ws.foldM(3));
    GemmSchedule os = SystolicTiming.plan(new SystolicArray(128, 128, Dataflow.OUTPUT_STATIONARY), 10, 300, 129);
    assertEquals(1, os.rowFolds()); // m = 10
    assertEquals(2, os.colFolds());
    assertEquals(300, os.foldK(1));
  }

  @Test
  void weightStationaryUtilisationApproachesOneForLongStreams() {
    // One full fold: useful R*C*m over R*C*(2R + C + m - 2) cycles.
    SystolicArray a = new SystolicArray(128, 128, Dataflow.WEIGHT_STATIONARY);
    GemmSchedule s = SystolicTiming.plan(a, 1 << 20, 128, 128);
    assertEquals(2L * 128 + 128 + (1 << 20) - 2, s.computeCycles());
    assertTrue(s.utilisation() > 0.999);
    // A GEMV (m = 1) on the same array is almost all fill and drain.
    assertTrue(SystolicTiming.plan(a, 1, 128, 128).utilisation() < 0.01);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> new SystolicArray(0, 4, Dataflow.WEIGHT_STATIONARY));
    assertThrows(IllegalArgumentException.class, () -> new SystolicArray(4, -1, Dataflow.WEIGHT_STATIONARY));
    assertThrows(IllegalArgumentException.class, () -> new SystolicArray(4, 4, null));
    assertThrows(IllegalArgumentException.class, () -> new SystolicArray(4, 4, Dataflow.OUTPUT_STATIONARY, 0));
    assertThrows(IllegalArgumentException.class,
        () -> SystolicTiming.plan(new SystolicArray(4, 4, Dataflow.OUTPUT_STATIONARY, 2), 4, 4, 4));
    assertThrows(IllegalArgumentException.class,
        () -> SystolicTiming.plan(new SystolicArray(4, 4, Dataflow.OUTPUT_STATIONARY), 0, 4, 4));
    assertThrows(IllegalArgumentException.class,
        () -> SystolicTiming.foldCycles(Dataflow.WEIGHT_STATIONARY, 4, 4, 9, 5, 4)); // k > R
    assertThrows(IllegalArgumentException.class,
        () -> SystolicTiming.foldCycles(Dataflow.OUTPUT_STATIONARY, 4, 4, 5, 9, 4)); // m > R
    assertThrows(IllegalArgumentException.class,
        () -> SystolicTiming.foldCycles(Dataflow.OUTPUT_STATIONARY, 4, 4, 4, 9, 5)); // n > C
  }
}
