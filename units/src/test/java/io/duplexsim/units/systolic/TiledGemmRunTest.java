package io.duplexsim.units.systolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class TiledGemmRunTest {
  /** 3 x 4 = 12 folds with ragged edges: k or m = 300 on 128 rows, n = 500 on 128 cols. */
  private static GemmSchedule schedule(Dataflow df) {
    return SystolicTiming.plan(new SystolicArray(128, 128, df), 300, 300, 500);
  }

  private static long maxFoldCycles(GemmSchedule s) {
    long max = 0;
    for (int f = 0; f < s.folds(); f++) {
      max = Math.max(max, s.foldCycles(f));
    }
    return max;
  }

  private static long minFoldCycles(GemmSchedule s) {
    long min = Long.MAX_VALUE;
    for (int f = 0; f < s.folds(); f++) {
      min = Math.min(min, s.foldCycles(f));
    }
    return min;
  }

  @ParameterizedTest
  @EnumSource(Dataflow.class)
  void instantFeedCostsExactlyTheComputeCycles(Dataflow df) {
    GemmSchedule s = schedule(df);
    TiledGemmResult r = TiledGemmRun.run(s, new InstantFeed());
    assertEquals(s.computeCycles(), r.totalCycles());
    assertEquals(s.computeCycles(), r.computeCycles());
    assertEquals(0, r.stallCycles());
    assertEquals(0, r.stalledFolds());
    assertTrue(r.consistent());
  }

  @ParameterizedTest
  @EnumSource(Dataflow.class)
  void slowFeedIsMemoryBound(Dataflow df) {
    GemmSchedule s = schedule(df);
    long bytesPerFold = 1_000_000; // 0.5 B/cycle -> 2M cycles per fold, far above compute
    double bw = 0.5;
    BandwidthFeed feed = new BandwidthFeed(bw, bytesPerFold);
    TiledGemmResult r = TiledGemmRun.run(s, feed);
    double memoryTime = s.folds() * bytesPerFold / bw;
    assertTrue(r.totalCycles() >= memoryTime, r.toString());
    assertTrue(r.totalCycles() <= memoryTime + maxFoldCycles(s) + 1, r.toString());
    assertTrue(r.stallCycles() > 0);
    assertEquals(s.folds(), r.stalledFolds());
    assertEquals(s.folds() * bytesPerFold, feed.bytesDelivered());
    assertTrue(r.consistent());
  }

  @ParameterizedTest
  @EnumSource(Dataflow.class)
  void fastFeedStallsOnlyForTheFirstFold(Dataflow df) {
    GemmSchedule s = schedule(df);
    // Load time of a fold (bytes / bw) no longer than the shortest fold's compute.
    double bw = 64;
    long bytesPerFold = (long) (bw * minFoldCycles(s));
    TiledGemmResult r = TiledGemmRun.run(s, new BandwidthFeed(bw, bytesPerFold));
    assertEquals(1, r.stalledFolds(), r.toString());
    assertEquals(minFoldCycles(s), r.firstFoldStall());
    assertEquals(r.firstFoldStall(), r.stallCycles());
    assertEquals(s.computeCycles() + r.firstFoldStall(), r.totalCycles());
    assertTrue(r.consistent());
  }

  @ParameterizedTest
  @EnumSource(Dataflow.class)
  void scheduleSizedFeedMovesEveryFoldsOperands(Dataflow df) {
    GemmSchedule s = schedule(df);
    BandwidthFeed feed = BandwidthFeed.forSchedule(s, 32, 2); // FP16
    TiledGemmResult r = TiledGemmRun.run(s, feed);
    long elements = 0;
    for (int f = 0; f < s.folds(); f++) {
      elements += s.operandElements(f);
    }
    assertEquals(2 * elements, feed.bytesDelivered());
    assertTrue(r.totalCycles() >= Math.max(s.computeCycles(), feed.bytesDelivered() / 32));
    assertTrue(r.consistent());
  }

  @Test
  void twoBuffersGateLoadingOnFoldTwoBack() {
    // Record the buffer-free cycles the run hands the feed: fold f's must be fold f-2's end.
    GemmSchedule s = schedule(Dataflow.WEIGHT_STATIONARY);
    List<Long> bufferFree = new ArrayList<>();
    BandwidthFeed inner = new BandwidthFeed(1, 1000);
    TiledGemmResult r =
        TiledGemmRun.run(s, (f, free) -> {
          bufferFree.add(free);
          return inner.readyCycle(f, free);
        });
    // Replay the recurrence by hand.
    long[] end = new long[s.folds()];
    double channel = 0;
    for (int f = 0; f < s.folds(); f++) {
      long free = f >= 2 ? end[f - 2] : 0;
      assertEquals(free, bufferFree.get(f), "fold " + f);
      channel = Math.max(channel, free) + 1000;
      long ready = (long) Math.ceil(channel);
      end[f] = Math.max(f == 0 ? 0 : end[f - 1], ready) + s.foldCycles(f);
    }
    assertEquals(end[s.folds() - 1], r.totalCycles());
  }

  @Test
  void feedThatIgnoresTheBufferIsRejected() {
    GemmSchedule s = schedule(Dataflow.OUTPUT_STATIONARY);
    Function<Integer, Long> alwaysZero = f -> 0L;
    assertThrows(IllegalStateException.class, () -> TiledGemmRun.run(s, (f, free) -> alwaysZero.apply(f)));
    assertThrows(IllegalArgumentException.class, () -> new BandwidthFeed(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new BandwidthFeed(1, -1));
  }
}
