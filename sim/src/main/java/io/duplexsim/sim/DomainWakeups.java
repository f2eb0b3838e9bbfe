package io.duplexsim.sim;

import java.util.Arrays;

/**
 * The scheduler's pending wake-ups, keyed by a tick of the common time base and ordered by (tick,
 * id), kept in one {@link WakeupWheel} per clock period, each counting in its own domain's cycles.
 *
 * <p>A device's common tick is fine: H100's 1.83 GHz and HBM's 1.3 GHz share a 237.9 GHz tick, so
 * a memory cycle is 183 ticks and a wheel counting ticks would cover barely one cycle, sending
 * nearly every wake-up to its overflow heap. Counting each domain's cycles keeps a wheel's window at
 * {@link WakeupWheel#SLOTS} cycles whatever the tick. Within a domain, (cycle, id) orders as (tick,
 * id); across domains the least of each wheel's minima, by (tick, id), is the least of all.
 */
final class DomainWakeups {
  private long[] periods = new long[0];
  private WakeupWheel[] wheels = new WakeupWheel[0];
  /** Per id: index of its period's wheel. */
  private int[] wheelOf = new int[0];
  private int capacity;
  /**
   * Per wheel: its least id, kept across steps since a step changes one wheel (the ticked component's),
   * {@link #EMPTY} when it holds none, {@link #UNKNOWN} when it must be looked up again.
   */
  private int[] least = new int[0];
  private static final int EMPTY = -1;
  private static final int UNKNOWN = -2;
  /**
   * The wheel while there is only one, and its period: a memory system's single clock takes this
   * path, which costs it nothing over one wheel of its own; null once a second period registers.
   */
  private WakeupWheel only;
  private long onlyPeriod;

  /** Room for ids up to {@code newCapacity - 1}, keeping every present one. */
  void grow(int newCapacity) {
    if (newCapacity <= capacity) {
      return;
    }
    capacity = Math.max(newCapacity, 2 * capacity);
    wheelOf = Arrays.copyOf(wheelOf, capacity);
    for (WakeupWheel w : wheels) {
      w.grow(capacity);
    }
  }

  /** Puts {@code id}, absent, on the wheel of clock period {@code periodTicks} (one per distinct period). */
  void assign(int id, long periodTicks) {
    int w = 0;
    while (w < periods.length && periods[w] != periodTicks) {
      w++;
    }
    if (w == periods.length) {
      periods = Arrays.copyOf(periods, w + 1);
      periods[w] = periodTicks;
      wheels = Arrays.copyOf(wheels, w + 1);
      wheels[w] = new WakeupWheel(capacity);
      least = Arrays.copyOf(least, w + 1);
      Arrays.fill(least, UNKNOWN); // with one wheel, its least id was not kept
      only = w == 0 ? wheels[0] : null;
      onlyPeriod = periodTicks;
    }
    wheelOf[id] = w;
  }

  boolean isEmpty() {
    if (only != null) {
      return only.isEmpty();
    }
    for (WakeupWheel w : wheels) {
      if (!w.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  boolean contains(int id) {
    WakeupWheel o = only;
    return o != null ? o.contains(id) : wheels[wheelOf[id]].contains(id);
  }

  /** The tick {@code id} waits for. */
  long key(int id) {
    WakeupWheel o = only;
    if (o != null) {
      return onlyPeriod == 1 ? o.key(id) : o.key(id) * onlyPeriod;
    }
    int w = wheelOf[id];
    return wheels[w].key(id) * periods[w];
  }

  /** Inserts {@code id} or moves it to {@code tick}, which is a whole number of its domain's cycles. */
  void offer(int id, long tick) {
    WakeupWheel o = only;
    if (o != null) {
      o.offer(id, onlyPeriod == 1 ? tick : tick / onlyPeriod); // peekId asks the one wheel itself
      return;
    }
    int w = wheelOf[id];
    long period = periods[w];
    assert tick % period == 0 : "tick " + tick + " is not on an edge of period " + period;
    long cycle = tick / period;
    WakeupWheel wheel = wheels[w];
    wheel.offer(id, cycle);
    int m = least[w];
    if (m == id) {
      least[w] = UNKNOWN; // it may have moved behind another
    } else if (m == EMPTY) {
      least[w] = id;
    } else if (m >= 0) {
      long k = wheel.key(m);
      if (cycle < k || (cycle == k && id < m)) {
        least[w] = id;
      }
    }
  }

  void remove(int id) {
    WakeupWheel o = only;
    if (o != null) {
      o.remove(id);
      return;
    }
    int w = wheelOf[id];
    wheels[w].remove(id);
    if (least[w] == id) {
      least[w] = UNKNOWN;
    }
  }

  /** The id with the least (tick, id); there must be one. */
  int peekId() {
    WakeupWheel o = only;
    if (o != null) {
      return o.peekId();
    }
    WakeupWheel[] ws = wheels;
    int best = -1;
    long bestTick = Long.MAX_VALUE;
    for (int w = 0; w < ws.length; w++) {
      int id = least[w];
      if (id == UNKNOWN) {
        id = ws[w].isEmpty() ? EMPTY : ws[w].peekId();
        least[w] = id;
      }
      if (id == EMPTY) {
        continue;
      }
      long tick = ws[w].key(id) * periods[w];
      if (best < 0 || tick < bestTick || (tick == bestTick && id < best)) {
        best = id;
        bestTick = tick;
      }
    }
    return best;
  }
}
