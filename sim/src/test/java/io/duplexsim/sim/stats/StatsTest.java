package io.duplexsim.sim.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void countersAreRegisteredOnceAndKeepRegistrationOrder() {
    Stats s = new Stats();
    Stats.Counter reads = s.counter("reads");
    Stats.Counter acts = s.counter("acts");
    s.counter("zeta").add(3);
    assertSame(reads, s.counter("reads"));
    reads.increment();
    reads.add(4);
    acts.increment();
    assertEquals(5, s.get("reads"));
    assertEquals(1, s.get("acts"));
    assertEquals(0, s.get("never-registered"));
    assertEquals(List.of("reads", "acts", "zeta"), List.copyOf(s.counters().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> s.counters().clear());
  }

  @Test
  void resetZeroesValuesButKeepsRegistrationsAndHandles() {
    Stats s = new Stats();
    Stats.Counter c = s.counter("c");
    Histogram h = s.histogram("lat");
    c.add(10);
    h.record(42);
    s.reset();
    assertEquals(0, s.get("c"));
    assertEquals(0, h.count());
    c.increment();
    assertEquals(1, s.get("c"));
    assertSame(h, s.histogram("lat"));
    assertEquals(List.of("lat"), List.copyOf(s.histograms().keySet()));
  }
}
