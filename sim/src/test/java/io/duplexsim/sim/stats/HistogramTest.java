package io.duplexsim.sim.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistogramTest {

  private static Histogram oneToHundredShuffled() {
    Histogram h = new Histogram();
    // insertion order must not matter
    for (int i = 0; i < 100; i++) {
      h.record(1 + (i * 37) % 100);
    }
    return h;
  }

  @Test
  void nearestRankPercentilesOfOneToHundred() {
    Histogram h = oneToHundredShuffled();
    assertEquals(100, h.count());
    assertEquals(50, h.percentile(0.50));
    assertEquals(90, h.percentile(0.90));
    assertEquals(99, h.percentile(0.99));
    assertEquals(100, h.percentile(1.0));
    assertEquals(1, h.percentile(0.0));
    assertEquals(1, h.percentile(0.001));
    assertEquals(51, h.percentile(0.501));
  }

  @Test
  void meanMinAndMaxOfOneToHundred() {
    Histogram h = oneToHundredShuffled();
    assertEquals(50.5, h.mean(), 1e-12);
    assertEquals(1, h.min());
    assertEquals(100, h.max());
  }

  /**
   * Nearest rank of q = k/100 over n samples is ceil(k*n/100), computed here in integers. Floating
   * point q*n (0.07*100 = 7.000000000000001) must not push the rank one too high.
   */
  @Test
  void everyWholePercentIsTheExactNearestRankForManySampleCounts() {
    for (int n = 1; n <= 250; n++) {
      Histogram h = new Histogram();
      for (int v = n; v >= 1; v--) {
        h.record(v);
      }
      for (int k = 0; k <= 100; k++) {
        long rank = Math.max(1, (k * (long) n + 99) / 100);
        assertEquals(rank, h.percentile(k / 100.0), "n=" + n + " q=" + k / 100.0);
      }
    }
  }

  @Test
  void repeatedValuesAndZeroAreCountedExactly() {
    Histogram h = new Histogram();
    for (int i = 0; i < 10; i++) {
      h.record(0);
    }
    for (int i = 0; i < 90; i++) {
      h.record(65_535); // last exact value
    }
    assertEquals(0, h.percentile(0.10));
    assertEquals(65_535, h.percentile(0.11));
    assertEquals(65_535, h.percentile(1));
    assertEquals(0, h.min());
    assertEquals(65_535, h.max());
    assertEquals(90 * 65_535 / 100.0, h.mean(), 1e-9);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 99, 2024})
  void largeValuesLandWithinOneSixtyFourthAndNeverAboveTheMaximum(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 2_000;
    long[] values = new long[n];
    Histogram h = new Histogram();
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(4);
      long v;
      if (kind == 0) {
        v = r.nextLong(0, 65_536); // exact range
      } else if (kind == 1) {
        v = 65_536 + r.nextLong(0, 4096); // just past the exact range
      } else {
        v = 1L << (17 + r.nextInt(45)); // powers of two
        v += r.nextLong(0, v); // anywhere in the octave
      }
      values[i] = v;
      h.record(v);
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    assertEquals(sorted[0], h.min());
    assertEquals(sorted[n - 1], h.max());
    double mean = Arrays.stream(values).mapToDouble(v -> v).sum() / n;
    assertEquals(mean, h.mean(), Math.abs(mean) * 1e-12);
    for (int k = 0; k <= 1000; k += k < 950 ? 10 : 1) { // every tail permille
      double q = k / 1000.0;
      long rank = Math.max(1, (k * (long) n + 999) / 1000);
      long truth = sorted[(int) rank - 1];
      long got = h.percentile(q);
      assertTrue(got <= h.max(), "q=" + q + " gave " + got + " above max " + h.max());
      if (truth < 65_536) {
        assertEquals(truth, got, "exact range, q=" + q);
      } else {
        assertTrue(got >= 65_536, "q=" + q + " gave " + got);
        double rel = Math.abs(got - (double) truth) / truth;
        assertTrue(rel <= 1.0 / 64, "q=" + q + " truth " + truth + " got " + got + " rel " + rel);
      }
    }
  }

  @Test
  void aSingleHugeSampleIsReportedWithinOneSixtyFourthAndNotAboveItself() {
    for (long v : new long[] {65_536, 65_537, 100_000, 1L << 40, (1L << 40) + (1L << 39) + 12_345,
        Long.MAX_VALUE}) {
      Histogram h = new Histogram();
      h.record(v);
      for (double q : new double[] {0, 0.5, 1}) {
        long got = h.percentile(q);
        assertTrue(got <= v, v + " q=" + q + " -> " + got);
        assertTrue((v - (double) got) / v <= 1.0 / 64, v + " q=" + q + " -> " + got);
      }
      assertEquals(v, h.max());
      assertEquals(v, h.min());
    }
  }

  @Test
  void negativeSamplesAreRejectedAndNotCounted() {
    Histogram h = new Histogram();
    h.record(5);
    assertThrows(IllegalArgumentException.class, () -> h.record(-1));
    assertThrows(IllegalArgumentException.class, () -> h.record(Long.MIN_VALUE));
    assertEquals(1, h.count());
    assertEquals(5, h.min());
    assertEquals(5.0, h.mean());
  }

  @Test
  void percentileOutsideZeroToOneIsRejected() {
    Histogram h = oneToHundredShuffled();
    assertThrows(IllegalArgumentException.class, () -> h.percentile(-0.01));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(1.01));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(Double.NaN));
  }

  @Test
  void emptyHistogramReportsZeros() {
    Histogram h = new Histogram();
    assertEquals(0, h.count());
    assertEquals(0.0, h.mean());
    assertEquals(0, h.min());
    assertEquals(0, h.max());
    assertEquals(0, h.percentile(0.5));
  }

  @Test
  void resetForgetsEverySampleExactAndLogBucketed() {
    Histogram h = new Histogram();
    h.record(3);
    h.record(40_000);
    h.record(1L << 50);
    h.reset();
    assertEquals(0, h.count());
    assertEquals(0.0, h.mean());
    assertEquals(0, h.min());
    assertEquals(0, h.max());
    assertEquals(0, h.percentile(1));
    h.record(7);
    h.record(9);
    assertEquals(2, h.count());
    assertEquals(7, h.min());
    assertEquals(9, h.max());
    assertEquals(8.0, h.mean());
    assertEquals(9, h.percentile(1)); // the old 2^50 sample is gone
    assertEquals(7, h.percentile(0.5));
    // stale log buckets would show up ahead of a larger new sample
    h.reset();
    h.record(70_000);
    h.reset();
    h.record(1L << 40);
    assertEquals(1L << 40, h.percentile(0.5));
    assertEquals(1L << 40, h.min());
  }

  @Test
  void partsAddedTogetherEqualOneHistogramOfEverySample() {
    SplittableRandom random = new SplittableRandom(7);
    Histogram whole = new Histogram();
    Histogram[] parts = {new Histogram(), new Histogram(), new Histogram()};
    for (int i = 0; i < 5_000; i++) {
      // mostly DRAM-like latencies, a few past the exact range, and one part left with small values only
      long v = i % 97 == 0 ? (1L << 20) + random.nextLong(1L << 30) : random.nextLong(i % 3 == 2 ? 100 : 5_000);
      whole.record(v);
      parts[i % 3].record(v);
    }
    Histogram merged = new Histogram();
    merged.add(parts[2]); // the part with the shortest exact array first: it must grow
    merged.add(parts[0]);
    merged.add(parts[1]);
    assertEquals(whole.count(), merged.count());
    assertEquals(whole.mean(), merged.mean(), 0.0);
    assertEquals(whole.min(), merged.min());
    assertEquals(whole.max(), merged.max());
    for (double q : new double[] {0, 0.1, 0.5, 0.9, 0.99, 0.999, 1}) {
      assertEquals(whole.percentile(q), merged.percentile(q), "percentile " + q);
    }
    merged.add(new Histogram()); // an empty part changes nothing
    assertEquals(whole.min(), merged.min());
    assertEquals(whole.max(), merged.max());
  }
}
