package io.duplexsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeBaseTest {

  @Test
  void coreHalfCoreAndOneGigahertzShareA13GigahertzTick() {
    ClockDomain core = new ClockDomain("core", 1_300_000_000L);
    ClockDomain half = new ClockDomain("half", 650_000_000L);
    ClockDomain ref = new ClockDomain("ref", 1_000_000_000L);
    TimeBase tb = TimeBase.of(List.of(core, half, ref));

    assertEquals(13_000_000_000L, tb.tickHz());
    assertEquals(10, core.periodTicks());
    assertEquals(20, half.periodTicks());
    assertEquals(13, ref.periodTicks());
    assertSame(tb, core.timeBase());
    assertSame(tb, half.timeBase());
    assertSame(tb, ref.timeBase());
  }

  @Test
  void hbm3At6400MbpsCommandClockSharesAnExactTickWithOneGigahertzAnd650Megahertz() {
    // HBM3-6.4: 6.4 Gb/s per pin, command clock 1.6 GHz.
    ClockDomain hbm = new ClockDomain("hbm3-6.4", 1_600_000_000L);
    ClockDomain ref = new ClockDomain("ref", 1_000_000_000L);
    ClockDomain half = new ClockDomain("half", 650_000_000L);
    TimeBase tb = TimeBase.of(List.of(hbm, ref, half));

    // lcm(2^12*5^8, 2^9*5^9, 2^7*5^8*13) = 2^12*5^9*13 Hz = 104 GHz
    assertEquals(104_000_000_000L, tb.tickHz());
    assertEquals(65, hbm.periodTicks());
    assertEquals(104, ref.periodTicks());
    assertEquals(160, half.periodTicks());
    for (ClockDomain d : List.of(hbm, ref, half)) {
      assertEquals(tb.tickHz(), d.periodTicks() * d.frequencyHz(), d.name() + " period must be exact");
    }
    // 1000 cycles of the 1 GHz domain are exactly 1 microsecond
    assertEquals(1000.0, tb.ticksToNs(ref.tickOf(1000)), 1e-9);
    assertEquals(0.625, hbm.periodNs(), 1e-12);
  }

  @Test
  void tickIsIndependentOfDomainOrder() {
    long[] freqs = {1_600_000_000L, 1_000_000_000L, 650_000_000L, 1_300_000_000L, 800_000_000L};
    List<Long> order = new ArrayList<>();
    for (long f : freqs) {
      order.add(f);
    }
    Long expected = null;
    for (int rot = 0; rot < freqs.length; rot++) {
      Collections.rotate(order, 1);
      List<ClockDomain> ds = new ArrayList<>();
      for (long f : order) {
        ds.add(new ClockDomain("d" + f, f));
      }
      long hz = TimeBase.of(ds).tickHz();
      if (expected == null) {
        expected = hz;
      }
      assertEquals(expected, hz);
      for (ClockDomain d : ds) {
        assertEquals(0, hz % d.frequencyHz());
      }
    }
  }

  @Test
  void cycleAndTickConversionsRoundTripOnEdgesAndRoundUpBetweenThem() {
    ClockDomain core = new ClockDomain("core", 1_300_000_000L);
    ClockDomain ref = new ClockDomain("ref", 1_000_000_000L);
    TimeBase.of(List.of(core, ref));
    for (long c = 0; c < 200; c++) {
      assertEquals(c, ref.cycleAtOrAfter(ref.tickOf(c)));
      assertEquals(c + 1, ref.cycleAtOrAfter(ref.tickOf(c) + 1));
      assertEquals(c + 1, ref.cycleAtOrAfter(ref.tickOf(c + 1) - 1));
    }
    assertEquals(130, core.tickOf(13));
    assertEquals(130, ref.tickOf(10));
  }

  @Test
  void twoCoprimeHugeFrequenciesWhoseLcmExceedsOnePetahertzAreRejected() {
    // 999,999,937 and 1,000,000,007 are both prime: their lcm is about 1e18 Hz.
    ClockDomain a = new ClockDomain("a", 999_999_937L);
    ClockDomain b = new ClockDomain("b", 1_000_000_007L);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TimeBase.of(List.of(a, b)));
    assertEquals(true, e.getMessage().contains("common tick"), e.getMessage());
    // a rejected set binds nothing
    assertNull(a.timeBase());
    assertNull(b.timeBase());
    assertEquals(0, a.periodTicks());
  }

  @Test
  void lcmOverflowingALongIsRejectedNotWrapped() {
    ClockDomain a = new ClockDomain("a", Long.MAX_VALUE);
    ClockDomain b = new ClockDomain("b", Long.MAX_VALUE - 1);
    assertThrows(IllegalArgumentException.class, () -> TimeBase.of(List.of(a, b)));
  }

  @Test
  void aTickOfExactlyOnePetahertzIsStillAccepted() {
    ClockDomain a = new ClockDomain("a", 1_000_000_000_000_000L);
    ClockDomain b = new ClockDomain("b", 1_000_000_000L);
    TimeBase tb = TimeBase.of(List.of(a, b));
    assertEquals(TimeBase.MAX_TICK_HZ, tb.tickHz());
    assertEquals(1, a.periodTicks());
    assertEquals(1_000_000, b.periodTicks());
  }

  @Test
  void nonPositiveFrequenciesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ClockDomain("zero", 0));
    assertThrows(IllegalArgumentException.class, () -> new ClockDomain("neg", -1_000_000_000L));
  }
}
