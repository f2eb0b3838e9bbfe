package io.duplexsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wheel orders wake-ups exactly as a sorted set of (key, id), inside and outside its window. */
class WakeupWheelTest {

  private static final class Reference {
    final TreeSet<long[]> order =
        new TreeSet<>(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    final Map<Integer, Long> keyOf = new HashMap<>();

    void offer(int id, long key) {
      remove(id);
      order.add(new long[] {key, id});
      keyOf.put(id, key);
    }

    void remove(int id) {
      Long old = keyOf.remove(id);
      if (old != null) {
        order.remove(new long[] {old, id});
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 17, 42, 4711, 123_456_789L, -99, 0xDEADBEEFL, 0x5EED_5EED_5EEDL})
  void schedulerLikeSequencesMatchASortedSetOfKeyAndId(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int capacity = 1 + r.nextInt(150); // up to three words of ids per slot
    WakeupWheel wheel = new WakeupWheel(capacity / 2);
    wheel.grow(capacity);
    Reference ref = new Reference();
    long now = r.nextInt(1000);
    int pops = 0;
    for (int step = 0; step < 20_000; step++) {
      int op = r.nextInt(100);
      int id = r.nextInt(capacity);
      if (op < 45) { // a wake-up near now (most), far ahead, or anywhere
        int kind = r.nextInt(20);
        long key = kind == 0 ? r.nextLong(0, 1L << 40)
            : kind == 1 ? now + WakeupWheel.SLOTS - 2 + r.nextInt(4)
            : kind == 2 ? r.nextLong(0, Math.max(1, now))
            : kind == 3 ? Long.MAX_VALUE - r.nextInt(3)
            : now + r.nextInt(kind < 10 ? 4 : 600);
        wheel.offer(id, key);
        ref.offer(id, key);
      } else if (op < 55) {
        wheel.remove(id);
        ref.remove(id);
      } else if (!ref.order.isEmpty()) { // the scheduler's step: take the minimum, re-key it later
        long[] first = ref.order.first();
        assertEquals((int) first[1], wheel.peekId(), "seed " + seed + " step " + step);
        now = Math.max(now, first[0]);
        int top = (int) first[1];
        if (r.nextInt(4) == 0 || now > Long.MAX_VALUE - 1000) {
          wheel.remove(top);
          ref.remove(top);
        } else {
          long key = now + 1 + r.nextInt(r.nextInt(3) == 0 ? 400 : 6);
          wheel.offer(top, key);
          ref.offer(top, key);
        }
        pops++;
      }
      assertEquals(ref.order.isEmpty(), wheel.isEmpty());
      for (int i = 0; i < capacity; i++) {
        Long k = ref.keyOf.get(i);
        assertEquals(k != null, wheel.contains(i));
        if (k != null) {
          assertEquals(k.longValue(), wheel.key(i));
        }
      }
    }
    while (!ref.order.isEmpty()) {
      long[] first = ref.order.first();
      assertEquals((int) first[1], wheel.peekId());
      wheel.remove((int) first[1]);
      ref.remove((int) first[1]);
    }
    assertTrue(wheel.isEmpty());
    assertTrue(pops > 1000);
  }
}
