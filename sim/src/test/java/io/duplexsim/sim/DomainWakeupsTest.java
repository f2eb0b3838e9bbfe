package io.duplexsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wake-ups of several clock domains come out in (tick, id) order, as one sorted set gives them. */
class DomainWakeupsTest {

  /** A device's periods on its 237.9 GHz tick: HBM 1.3 GHz, xPU 1.83 GHz, Logic-PIM 650 MHz, and one tick. */
  private static final long[] PERIODS = {183, 130, 366, 1};

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 17, 42, 4711, 123_456_789L, -99, 0xDEADBEEFL, 0x5EED_5EED_5EEDL})
  void wakeUpsOfSeveralPeriodsComeOutInTickThenIdOrder(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int capacity = 1 + r.nextInt(200);
    DomainWakeups wakeups = new DomainWakeups();
    long[] period = new long[capacity];
    TreeSet<long[]> order = new TreeSet<>(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    Map<Integer, Long> keyOf = new HashMap<>();
    for (int id = 0; id < capacity; id++) {
      period[id] = PERIODS[r.nextInt(r.nextInt(4) == 0 ? 4 : 3)];
    }
    // Components register one by one, some while others already wait (a new period's wheel among them).
    int registered = 0;
    long now = 0;
    int pops = 0;
    for (int step = 0; step < 20_000; step++) {
      if (registered < capacity && (registered == 0 || r.nextInt(50) == 0)) {
        wakeups.grow(registered + 1);
        wakeups.assign(registered, period[registered]);
        registered++;
      }
      int op = r.nextInt(100);
      int id = r.nextInt(registered);
      if (op < 45) { // a wake-up a few cycles ahead (most), far ahead, or in the past
        long cycle = now / period[id] + (r.nextInt(10) == 0 ? r.nextInt(100_000) : r.nextInt(8))
            - (r.nextInt(30) == 0 ? Math.min(now / period[id], 5) : 0);
        Long old = keyOf.put(id, cycle * period[id]);
        if (old != null) {
          order.remove(new long[] {old, id});
        }
        order.add(new long[] {cycle * period[id], id});
        wakeups.offer(id, cycle * period[id]);
      } else if (op < 55) {
        Long old = keyOf.remove(id);
        if (old != null) {
          order.remove(new long[] {old, id});
        }
        wakeups.remove(id);
      } else if (!order.isEmpty()) { // the scheduler's step: take the least, re-key it later or drop it
        long[] first = order.pollFirst();
        int top = (int) first[1];
        assertEquals(top, wakeups.peekId(), "seed " + seed + " step " + step);
        now = Math.max(now, first[0]);
        keyOf.remove(top);
        wakeups.remove(top);
        pops++;
      }
      assertEquals(order.isEmpty(), wakeups.isEmpty());
      for (int i = 0; i < registered; i++) {
        Long k = keyOf.get(i);
        assertEquals(k != null, wakeups.contains(i));
        if (k != null) {
          assertEquals(k.longValue(), wakeups.key(i));
        }
      }
    }
    assertTrue(pops > 1000);
  }

  @Test
  void simultaneousWakeUpsOfTwoDomainsGoByIdWhicheverDomainHoldsTheSmallerId() {
    DomainWakeups wakeups = new DomainWakeups();
    wakeups.grow(3);
    wakeups.assign(0, 130);
    wakeups.assign(1, 183);
    wakeups.assign(2, 130);
    wakeups.offer(2, 130 * 183); // all three at the same tick: cycle 183 of one domain, 130 of the other
    wakeups.offer(1, 183 * 130);
    wakeups.offer(0, 130 * 184);
    assertEquals(1, wakeups.peekId());
    wakeups.remove(1);
    assertEquals(2, wakeups.peekId());
    wakeups.offer(0, 130 * 183);
    assertEquals(0, wakeups.peekId());
  }
}
