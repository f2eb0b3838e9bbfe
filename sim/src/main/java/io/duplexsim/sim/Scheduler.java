package io.duplexsim.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Ticks components in lockstep on a common time base. Within one tick, components run in
 * registration order (a documented, stable order). With fast-forward on, only components that
 * asked for a tick (or were woken) run, and time jumps straight to the next such tick; with it off,
 * every component runs on every cycle of its domain. Both give bit-identical results for components
 * that keep the {@link Component} contract; tests assert it.
 */
public final class Scheduler {
  private final TimeBase timeBase;
  private final boolean fastForward;
  private final List<Component> components = new ArrayList<>();
  private final List<ClockDomain> domainOf = new ArrayList<>();
  private long[] lastTickedCycle = new long[0];
  /** Per component: its domain's period in ticks (1 for a single domain: no divisions then). */
  private long[] periodOf = new long[0];
  /** {@link #components} as an array, for the per-tick call. */
  private Component[] componentArray = new Component[0];
  private final DomainWakeups wakeups = new DomainWakeups();
  private long now;
  /** Every edge at or before this tick has been simulated, for every component (-1: none yet). */
  private long doneThrough = -1;
  private long ticksExecuted;
  private int running = -1;
  /**
   * Fast-forward ticks a component while leaving it at the top of the heap, then moves it to its
   * next wake-up with one sift instead of a removal and an insertion; a wake it asks for itself
   * meanwhile is kept here ({@code Long.MAX_VALUE}: none).
   */
  private boolean runningHeld;
  private long heldWake;
  private boolean stopRequested;

  public Scheduler(TimeBase timeBase, boolean fastForward) {
    this.timeBase = timeBase;
    this.fastForward = fastForward;
  }

  /**
   * Adds a component; it gets its first tick on cycle 0 of its domain, or, once time has advanced,
   * on the first cycle of its domain not yet simulated. Returns its id.
   */
  public int register(Component component, ClockDomain domain) {
    if (domain.timeBase() != timeBase) {
      throw new IllegalArgumentException("domain " + domain + " is not bound to this scheduler's time base");
    }
    int id = components.size();
    long tick = running >= 0 ? (id > running ? now : now + 1) : doneThrough + 1;
    long first = domain.cycleAtOrAfter(tick); // firstOpenCycle, before periodOf knows id
    components.add(component);
    domainOf.add(domain);
    long[] grown = new long[id + 1];
    System.arraycopy(lastTickedCycle, 0, grown, 0, id);
    grown[id] = first - 1;
    lastTickedCycle = grown;
    periodOf = java.util.Arrays.copyOf(periodOf, id + 1);
    periodOf[id] = domain.periodTicks();
    componentArray = components.toArray(new Component[0]);
    wakeups.grow(id + 1);
    wakeups.assign(id, domain.periodTicks());
    wakeups.offer(id, domain.tickOf(first));
    return id;
  }

  /**
   * The first cycle of {@code d} on which component {@code id} has not been ticked in every-cycle
   * mode: within a tick, components after the running one still get this tick, the running one and
   * those before it do not. Fast-forward uses it too, so that a wake takes effect exactly when it
   * would without fast-forward, even for a component it did not actually tick.
   */
  private long firstOpenCycle(int id) {
    long tick = running >= 0 ? (id > running ? now : now + 1) : doneThrough + 1;
    return cycleAtOrAfter(periodOf[id], tick);
  }

  /** As {@link ClockDomain#cycleAtOrAfter}, without the division when a cycle is one tick. */
  private static long cycleAtOrAfter(long period, long tick) {
    return period == 1 ? tick : (tick + period - 1) / period;
  }

  /**
   * Asks for component {@code id} to be ticked on {@code cycle} of its domain, or on its first cycle
   * it has not yet been ticked on if that is later. Earlier requests win over later ones.
   */
  public void wake(int id, long cycle) {
    long earliest = Math.max(lastTickedCycle[id] + 1, firstOpenCycle(id));
    long c = Math.max(cycle, earliest);
    long t = c * periodOf[id];
    if (id == running && runningHeld) {
      heldWake = Math.min(heldWake, t);
      return;
    }
    if (!wakeups.contains(id) || wakeups.key(id) > t) {
      wakeups.offer(id, t);
    }
  }

  /**
   * Asks for component {@code id} to be ticked on its first cycle starting at or after {@code tick}
   * (a time on the common time base), with the same rules as {@link #wake}. Components in other
   * clock domains wake each other this way.
   */
  public void wakeAtTick(int id, long tick) {
    wake(id, cycleAtOrAfter(periodOf[id], tick));
  }

  /**
   * Runs until no component has anything left to do, or time passes {@code untilTick}. In the
   * latter case now() is left at {@code untilTick} in both modes (every edge up to it, inclusive,
   * has been simulated).
   */
  public void run(long untilTick) {
    if (fastForward) {
      runFastForward(untilTick);
    } else {
      runEveryCycle(untilTick);
    }
  }

  public void run() {
    run(Long.MAX_VALUE);
  }

  /**
   * Ends {@link #run} once every component due at the current tick has run (a component saw the
   * end of the workload); both modes stop at the same point.
   */
  public void stop() {
    stopRequested = true;
  }

  /** Takes back a {@link #stop}, so that a later {@link #run} carries on from where it stopped. */
  public void clearStop() {
    stopRequested = false;
  }

  private void runFastForward(long untilTick) {
    boolean ticked = false;
    while (!wakeups.isEmpty()) {
      int id = wakeups.peekId();
      long t = wakeups.key(id);
      if (stopRequested && t > now) {
        break;
      }
      if (t > untilTick) {
        stopAt(untilTick);
        return;
      }
      now = t;
      tickHeld(id, t);
      ticked = true;
    }
    if (ticked) {
      doneThrough = now; // nothing else is due at now: that tick is complete
    }
  }

  private void stopAt(long untilTick) {
    if (untilTick > now) {
      now = untilTick;
    }
    doneThrough = Math.max(doneThrough, untilTick);
  }

  private void runEveryCycle(long untilTick) {
    while (!wakeups.isEmpty() && !stopRequested) {
      // Next tick at which any domain has an edge.
      long t = Long.MAX_VALUE;
      for (int i = 0; i < components.size(); i++) {
        ClockDomain d = domainOf.get(i);
        t = Math.min(t, d.tickOf(lastTickedCycle[i] + 1));
      }
      if (t > untilTick) {
        stopAt(untilTick);
        return;
      }
      now = t;
      for (int i = 0; i < components.size(); i++) { // a tick may register another component
        ClockDomain d = domainOf.get(i);
        if (d.tickOf(lastTickedCycle[i] + 1) == t) {
          if (wakeups.contains(i) && wakeups.key(i) <= t) {
            wakeups.remove(i);
          }
          tickOne(i, t);
        }
      }
      doneThrough = t;
    }
  }

  private void tickOne(int id, long t) {
    long period = periodOf[id];
    long cycle = period == 1 ? t : t / period;
    lastTickedCycle[id] = cycle;
    running = id;
    long next = components.get(id).tick(cycle);
    running = -1;
    ticksExecuted++;
    if (next != Component.NEVER) {
      if (next <= cycle) {
        throw new IllegalStateException("component " + components.get(id) + " asked for cycle " + next
            + " while at cycle " + cycle);
      }
      wake(id, next);
    }
  }

  /** As {@link #tickOne}, for the component at the top of the heap, which stays there during its tick. */
  private void tickHeld(int id, long t) {
    long period = periodOf[id];
    long cycle = period == 1 ? t : t / period;
    lastTickedCycle[id] = cycle;
    running = id;
    runningHeld = true;
    heldWake = Long.MAX_VALUE;
    long next;
    try {
      next = componentArray[id].tick(cycle);
    } catch (RuntimeException | Error e) {
      wakeups.remove(id); // as if it had been taken off the heap before its tick
      throw e;
    } finally {
      runningHeld = false;
    }
    running = -1;
    ticksExecuted++;
    long key = heldWake;
    if (next != Component.NEVER) {
      if (next <= cycle) {
        wakeups.remove(id);
        throw new IllegalStateException("component " + components.get(id) + " asked for cycle " + next
            + " while at cycle " + cycle);
      }
      long earliest = Math.max(lastTickedCycle[id] + 1, firstOpenCycle(id));
      key = Math.min(key, Math.max(next, earliest) * period);
    }
    if (key == Long.MAX_VALUE) {
      wakeups.remove(id);
    } else {
      wakeups.offer(id, key);
    }
  }

  /** Current time in ticks of the time base. */
  public long now() {
    return now;
  }

  /** Current cycle of the given domain (the last one started at or before now). */
  public long cycleOf(ClockDomain d) {
    return now / d.periodTicks();
  }

  public TimeBase timeBase() {
    return timeBase;
  }

  public boolean fastForward() {
    return fastForward;
  }

  /** How many component ticks ran: the work fast-forward saves. */
  public long ticksExecuted() {
    return ticksExecuted;
  }

  /** Id of the component being ticked, or -1 between ticks. */
  public int running() {
    return running;
  }
}
