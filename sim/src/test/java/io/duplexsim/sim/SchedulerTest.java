package io.duplexsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplexsim.sim.stats.Histogram;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SchedulerTest {

  // ------------------------------------------------------------------------------------------
  // Lockstep order
  // ------------------------------------------------------------------------------------------

  record Tick(long tick, int id, long cycle) {}

  /** Ticks on every cycle of its domain up to and including the last edge at or before horizon. */
  private static final class EveryCycle implements Component {
    final Scheduler s;
    final ClockDomain d;
    final List<Tick> log;
    final long horizonTick;
    int id;

    EveryCycle(Scheduler s, ClockDomain d, List<Tick> log, long horizonTick) {
      this.s = s;
      this.d = d;
      this.log = log;
      this.horizonTick = horizonTick;
    }

    @Override
    public long tick(long cycle) {
      assertEquals(id, s.running());
      assertEquals(d.tickOf(cycle), s.now());
      assertEquals(cycle, s.cycleOf(d));
      log.add(new Tick(s.now(), id, cycle));
      return d.tickOf(cycle + 1) <= horizonTick ? cycle + 1 : NEVER;
    }
  }

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void componentsInThreeDomainsTickOnTheirOwnEdgesInRegistrationOrder(boolean fastForward) {
    ClockDomain core = new ClockDomain("core", 1_300_000_000L); // 10 ticks
    ClockDomain half = new ClockDomain("half", 650_000_000L); // 20 ticks
    ClockDomain ref = new ClockDomain("ref", 1_000_000_000L); // 13 ticks
    Scheduler s = new Scheduler(TimeBase.of(List.of(core, half, ref)), fastForward);
    List<Tick> log = new ArrayList<>();
    ClockDomain[] domains = {half, core, ref, core, half, ref};
    long horizon = 3 * 260; // 260 = lcm of the periods: all three edges coincide there
    for (ClockDomain d : domains) {
      EveryCycle c = new EveryCycle(s, d, log, horizon);
      c.id = s.register(c, d);
    }
    assertEquals(-1, s.running());
    s.run();
    assertEquals(-1, s.running());

    List<Tick> expected = new ArrayList<>();
    for (long t = 0; t <= horizon; t++) {
      for (int id = 0; id < domains.length; id++) {
        long p = domains[id].periodTicks();
        if (t % p == 0) {
          expected.add(new Tick(t, id, t / p));
        }
      }
    }
    assertEquals(expected, log);
    assertEquals(expected.size(), s.ticksExecuted());
    assertEquals(horizon, s.now());
  }

  // ------------------------------------------------------------------------------------------
  // Contract violations
  // ------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "fastForward={0}, next=cycle{1}")
  @CsvSource({"true,0", "true,-1", "true,-5", "false,0", "false,-1", "false,-5"})
  void aComponentAskingForTheCurrentOrAnEarlierCycleIsAnIllegalState(boolean fastForward, int delta) {
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d)), fastForward);
    s.register(cycle -> cycle == 3 ? cycle + delta : cycle + 1, d);
    IllegalStateException e = assertThrows(IllegalStateException.class, s::run);
    assertTrue(e.getMessage().contains("cycle 3"), e.getMessage());
  }

  // ------------------------------------------------------------------------------------------
  // wake() semantics
  // ------------------------------------------------------------------------------------------

  /** Records the cycles it is ticked on; asks for cycles given by a function of the current one. */
  private static final class Probe implements Component {
    final List<Long> ticks = new ArrayList<>();
    final LongUnaryOperator next;
    Runnable onTick = () -> {};

    Probe(LongUnaryOperator next) {
      this.next = next;
    }

    @Override
    public long tick(long cycle) {
      ticks.add(cycle);
      onTick.run();
      return next.applyAsLong(cycle);
    }
  }

  /**
   * Idle until someone posts a message (and wakes it, as the contract demands); records the cycle
   * on which it first sees the message. That cycle is observable in both modes, unlike the bare
   * list of ticks (without fast-forward every cycle is ticked).
   */
  private static final class Listener implements Component {
    final Scheduler s;
    final List<Long> times;
    boolean message;
    long sawAt = -1;

    Listener(Scheduler s) {
      this(s, new ArrayList<>());
    }

    Listener(Scheduler s, List<Long> times) {
      this.s = s;
      this.times = times;
    }

    @Override
    public long tick(long cycle) {
      times.add(s.now());
      if (message && sawAt < 0) {
        sawAt = cycle;
      }
      return NEVER;
    }
  }

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void wakingAComponentThatAlreadyTickedThisCycleSchedulesItsNextCycle(boolean fastForward) {
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d)), fastForward);
    // the target asked for cycle 3 itself, so it certainly ticks on 3, before the sender (lower id)
    List<Long> targetTicks = new ArrayList<>();
    boolean[] message = {false};
    long[] sawAt = {-1};
    int targetId = s.register(cycle -> {
      targetTicks.add(cycle);
      if (message[0] && sawAt[0] < 0) {
        sawAt[0] = cycle;
      }
      return cycle < 3 ? 3 : Component.NEVER;
    }, d);
    Probe sender = new Probe(c -> c < 3 ? 3 : Component.NEVER);
    s.register(sender, d);
    sender.onTick = () -> {
      if (s.cycleOf(d) == 3) {
        message[0] = true;
        s.wake(targetId, 3);
      }
    };
    s.run();
    assertTrue(targetTicks.contains(3L));
    assertEquals(4, sawAt[0]);
    assertEquals(4, s.now());
    if (fastForward) {
      assertEquals(List.of(0L, 3L, 4L), targetTicks);
    }
  }

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void wakingAnEarlierRegisteredIdleComponentForTheCurrentCycleSchedulesItsNextCycle(
      boolean fastForward) {
    // Without fast-forward the idle target (lower id) has ticked on cycle 3 before the sender
    // runs, so it can see the message on cycle 4 at the earliest. Fast-forward must agree, although
    // it did not actually tick the idle target on cycle 3.
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d)), fastForward);
    Listener target = new Listener(s);
    int targetId = s.register(target, d);
    Probe sender = new Probe(c -> c < 3 ? 3 : Component.NEVER);
    s.register(sender, d);
    sender.onTick = () -> {
      if (s.cycleOf(d) == 3) {
        target.message = true;
        s.wake(targetId, 3);
      }
    };
    s.run();
    assertEquals(4, target.sawAt);
    assertEquals(4, s.now());
  }

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void wakingALaterRegisteredComponentForTheCurrentCycleRunsItLaterInTheSameTick(
      boolean fastForward) {
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d)), fastForward);
    Probe sender = new Probe(c -> c < 3 ? 3 : Component.NEVER);
    s.register(sender, d);
    Listener target = new Listener(s);
    int targetId = s.register(target, d);
    sender.onTick = () -> {
      if (s.cycleOf(d) == 3) {
        target.message = true;
        s.wake(targetId, 3);
      }
    };
    s.run();
    assertEquals(3, target.sawAt);
    assertEquals(3, s.now());
  }

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void aSelfWakeForTheCurrentCycleMeansTheNextCycle(boolean fastForward) {
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d)), fastForward);
    int[] self = new int[1];
    Probe p = new Probe(c -> Component.NEVER);
    p.onTick = () -> {
      if (s.cycleOf(d) == 0) {
        s.wake(self[0], 0);
      }
    };
    self[0] = s.register(p, d);
    s.run(100);
    assertEquals(List.of(0L, 1L), p.ticks);
    assertEquals(1, s.now());
  }

  /**
   * A fast component posts to a slow one and wakes it with the slow domain's current cycle number,
   * whose edge is already in the past. The slow component must see it on its first edge after now,
   * and time must never run backwards.
   */
  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void wakingWithACycleWhoseEdgeHasPassedRunsOnTheFirstEdgeAfterNow(boolean fastForward) {
    ClockDomain fast = new ClockDomain("fast", 1_000_000_000L);
    ClockDomain slow = new ClockDomain("slow", 100_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(fast, slow)), fastForward);
    List<Long> times = new ArrayList<>(); // now() at every tick of either component, in call order
    Listener sleeper = new Listener(s, times);
    int sleeperId = s.register(sleeper, slow);
    Probe poker = new Probe(c -> c < 1234 ? 1234 : Component.NEVER);
    poker.onTick = () -> {
      times.add(s.now());
      if (s.cycleOf(fast) == 1234) {
        sleeper.message = true;
        s.wake(sleeperId, s.cycleOf(slow)); // cycle 123, edge at tick 1230 < now = 1234
      }
    };
    s.register(poker, fast);
    s.run();
    for (int i = 1; i < times.size(); i++) {
      if (times.get(i) < times.get(i - 1)) {
        fail("time ran backwards at call " + i + ": " + times.subList(Math.max(0, i - 3), i + 1));
      }
    }
    assertEquals(124, sleeper.sawAt); // edge at tick 1240
    assertEquals(1240, s.now());
  }

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void earlierWakeRequestsWinOverLaterOnes(boolean fastForward) {
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d)), fastForward);
    Probe target = new Probe(c -> Component.NEVER);
    int id = s.register(target, d);
    s.run();
    s.wake(id, 50);
    s.wake(id, 20);
    s.wake(id, 80);
    s.run();
    assertEquals(20, s.now());
    assertEquals(20, target.ticks.get(target.ticks.size() - 1));
    if (fastForward) {
      assertEquals(List.of(0L, 20L), target.ticks);
    }
  }

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void aWakeFromOutsideBetweenRunsTakesEffectAfterTheTimeAlreadySimulated(boolean fastForward) {
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    ClockDomain other = new ClockDomain("other", 500_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d, other)), fastForward);
    Listener target = new Listener(s);
    int id = s.register(target, d);
    s.register(new Probe(c -> c < 100 ? c + 1 : Component.NEVER), other);
    s.run(150); // stops at the bound: the busy one still has work
    assertEquals(150, s.now());
    target.message = true;
    s.wake(id, s.cycleOf(d)); // cycle 150 of d: already simulated
    s.run();
    assertEquals(151, target.sawAt);
  }

  // ------------------------------------------------------------------------------------------
  // run(untilTick)
  // ------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void runUntilStopsAtTheBoundInclusiveAndResumesWithoutGapsOrRepeats(boolean fastForward) {
    ClockDomain d = new ClockDomain("d", 100_000_000L); // period 1 tick: single domain
    ClockDomain x = new ClockDomain("x", 300_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d, x)), fastForward); // 300 MHz tick
    assertEquals(3, d.periodTicks());
    Probe every = new Probe(c -> c + 1); // never finishes by itself
    s.register(every, d);
    Probe sleeper = new Probe(c -> c == 0 ? 1000 : Component.NEVER);
    s.register(sleeper, x);

    s.run(30); // an edge of d
    assertEquals(30, s.now());
    assertEquals(10, every.ticks.get(every.ticks.size() - 1));
    s.run(44); // between edges
    assertEquals(44, s.now());
    assertEquals(14, every.ticks.get(every.ticks.size() - 1));
    assertEquals(14, s.cycleOf(d));
    s.run(20); // a bound in the past does nothing
    assertEquals(44, s.now());
    assertEquals(14, every.ticks.get(every.ticks.size() - 1));
    s.run(999);
    assertFalse(sleeper.ticks.contains(1000L));
    s.run(1000);
    assertTrue(sleeper.ticks.contains(1000L));
    for (int i = 0; i < every.ticks.size(); i++) {
      assertEquals(i, every.ticks.get(i));
    }
    assertEquals(334, every.ticks.size()); // cycles 0..333, edge 333 at tick 999
  }

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void aStoppedRunCarriesOnFromWhereItStoppedOnceTheStopIsCleared(boolean fastForward) {
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d)), fastForward);
    Probe first = new Probe(c -> c + 1);
    Probe second = new Probe(c -> c + 2);
    s.register(first, d);
    s.register(second, d);
    first.onTick = () -> {
      if (s.now() == 5) {
        s.stop(); // the components due at tick 5 still run
      }
    };
    s.run();
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), first.ticks);
    // (without fast-forward every component ticks on every cycle)
    assertEquals(fastForward ? List.of(0L, 2L, 4L) : List.of(0L, 1L, 2L, 3L, 4L, 5L), second.ticks);
    s.run(9); // still stopped: nothing runs
    assertEquals(6, first.ticks.size());
    s.clearStop();
    s.run(9);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), first.ticks);
    assertEquals(fastForward ? List.of(0L, 2L, 4L, 6L, 8L) : List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L),
        second.ticks);
  }

  @Test
  void runWithNothingRegisteredReturnsAtOnce() {
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d)), true);
    s.run();
    assertEquals(0, s.now());
    Probe late = new Probe(c -> Component.NEVER);
    s.register(late, d);
    s.run();
    assertEquals(List.of(0L), late.ticks);
  }

  @ParameterizedTest(name = "fastForward={0}")
  @ValueSource(booleans = {true, false})
  void aComponentRegisteredBetweenRunsStartsAfterTheSimulatedTime(boolean fastForward) {
    ClockDomain d = new ClockDomain("d", 1_000_000_000L);
    ClockDomain slow = new ClockDomain("slow", 250_000_000L);
    Scheduler s = new Scheduler(TimeBase.of(List.of(d, slow)), fastForward);
    s.register(new Probe(c -> c < 10 ? c + 1 : Component.NEVER), d);
    s.run();
    assertEquals(10, s.now());
    Probe late = new Probe(c -> c + 1 < 6 ? c + 1 : Component.NEVER);
    List<Long> times = new ArrayList<>();
    late.onTick = () -> times.add(s.now());
    s.register(late, slow);
    s.run();
    assertEquals(List.of(3L, 4L, 5L), late.ticks);
    assertEquals(List.of(12L, 16L, 20L), times);
  }

  // ------------------------------------------------------------------------------------------
  // Fast-forward equivalence on toy systems
  // ------------------------------------------------------------------------------------------

  /** A unit of work flowing through a toy system. */
  private static final class Item {
    final int serial;
    final long bornTick;
    long readyTick;

    Item(int serial, long bornTick) {
      this.serial = serial;
      this.bornTick = bornTick;
    }
  }

  /** A bounded queue. */
  private static final class Fifo {
    final String name;
    final int capacity;
    final ArrayDeque<Item> items = new ArrayDeque<>();

    Fifo(String name, int capacity) {
      this.name = name;
      this.capacity = capacity;
    }

    boolean hasSpace() {
      return items.size() < capacity;
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(name).append('[');
      for (Item i : items) {
        b.append(i.serial).append('@').append(i.readyTick).append(' ');
      }
      return b.append(']').toString();
    }
  }

  /** One toy system on one scheduler: its parts, an event log and the wake idiom they use. */
  private static final class Toy {
    final Scheduler s;
    final List<String> log = new ArrayList<>();
    final List<Part> parts = new ArrayList<>();
    final int wakeStyle;

    Toy(TimeBase tb, boolean fastForward, int wakeStyle) {
      this.s = new Scheduler(tb, fastForward);
      this.wakeStyle = wakeStyle;
    }

    /** "As soon as possible", written in one of the ways a model author might write it. */
    void wakeAsap(Part p) {
      switch (wakeStyle) {
        case 0 -> s.wake(p.id, 0);
        case 1 -> s.wake(p.id, s.cycleOf(p.domain));
        default -> s.wake(p.id, p.domain.cycleAtOrAfter(s.now()));
      }
    }

    void wakeAtTick(Part p, long tick) {
      s.wake(p.id, p.domain.cycleAtOrAfter(tick));
    }

    List<String> finalState() {
      List<String> out = new ArrayList<>();
      for (Part p : parts) {
        out.add(p.name + ": " + p.state());
      }
      out.add("now=" + s.now());
      return out;
    }
  }

  private abstract static class Part implements Component {
    final Toy toy;
    final String name;
    final ClockDomain domain;
    int id = -1;

    Part(Toy toy, String name, ClockDomain domain) {
      this.toy = toy;
      this.name = name;
      this.domain = domain;
      toy.parts.add(this);
    }

    void log(String what) {
      toy.log.add(toy.s.now() + " " + name + "#" + domain.cycleAtOrAfter(toy.s.now()) + " " + what);
    }

    abstract String state();
  }

  /** Emits items with given gaps into a bounded queue; stalls while it is full. */
  private static final class Source extends Part {
    final int[] gaps;
    final long linkTicks;
    Fifo out;
    Part consumer;
    int remaining;
    int produced;
    long nextCycle;
    boolean blocked;

    Source(Toy toy, String name, ClockDomain d, int[] gaps, int initial, long linkTicks) {
      super(toy, name, d);
      this.gaps = gaps;
      this.remaining = initial;
      this.linkTicks = linkTicks;
    }

    void add(int n) {
      remaining += n;
    }

    @Override
    public long tick(long cycle) {
      long now = domain.tickOf(cycle);
      if (remaining > 0 && cycle >= nextCycle) {
        if (out.hasSpace()) {
          Item it = new Item(produced, now);
          it.readyTick = now + linkTicks;
          out.items.add(it);
          produced++;
          remaining--;
          blocked = false;
          log("push " + it.serial + " into " + out.name + " occ=" + out.items.size());
          toy.wakeAtTick(consumer, it.readyTick);
          nextCycle = cycle + gaps[produced % gaps.length];
        } else if (!blocked) {
          blocked = true;
          log("blocked on " + out.name);
        }
      }
      if (remaining == 0 || blocked) {
        return NEVER; // the consumer, or whoever adds work, wakes us
      }
      return nextCycle;
    }

    @Override
    String state() {
      return "produced=" + produced + " remaining=" + remaining + " blocked=" + blocked;
    }
  }

  /**
   * Takes items from one or more input queues (round robin), works on each for its service time,
   * then passes it downstream over a link with latency, or retires it if it is the sink.
   */
  private static final class Server extends Part {
    final List<Fifo> ins = new ArrayList<>();
    final List<Part> ups = new ArrayList<>();
    final int[] service;
    final long linkTicks;
    Fifo out;
    Part down;
    Item current;
    long doneCycle;
    boolean stalled;
    int started;
    int rr;
    final Histogram latency = new Histogram();

    Server(Toy toy, String name, ClockDomain d, int[] service, long linkTicks) {
      super(toy, name, d);
      this.service = service;
      this.linkTicks = linkTicks;
    }

    void input(Fifo f, Part up) {
      ins.add(f);
      ups.add(up);
    }

    @Override
    public long tick(long cycle) {
      long now = domain.tickOf(cycle);
      if (current != null && cycle >= doneCycle) {
        if (out == null) {
          latency.record(now - current.bornTick);
          log("retire " + current.serial + " latency=" + (now - current.bornTick));
          current = null;
        } else if (out.hasSpace()) {
          current.readyTick = now + linkTicks;
          out.items.add(current);
          log("pass " + current.serial + " to " + out.name + " occ=" + out.items.size());
          toy.wakeAtTick(down, current.readyTick);
          current = null;
          stalled = false;
        } else if (!stalled) {
          stalled = true;
          log("stalled on " + out.name);
        }
      }
      if (current == null) {
        for (int k = 0; k < ins.size(); k++) {
          int i = (rr + k) % ins.size();
          Item head = ins.get(i).items.peek();
          if (head != null && head.readyTick <= now) {
            ins.get(i).items.poll();
            current = head;
            doneCycle = cycle + service[started % service.length];
            started++;
            rr = i + 1;
            log("start " + head.serial + " from " + ins.get(i).name + " until #" + doneCycle);
            toy.wakeAsap(ups.get(i)); // space freed
            break;
          }
        }
      }
      if (current != null) {
        return cycle < doneCycle ? doneCycle : NEVER; // stalled: downstream wakes us
      }
      long next = NEVER;
      for (Fifo f : ins) {
        Item head = f.items.peek();
        if (head != null) {
          next = Math.min(next, domain.cycleAtOrAfter(head.readyTick)); // > cycle: not ready yet
        }
      }
      return next;
    }

    @Override
    String state() {
      return "started=" + started + " current=" + (current == null ? "-" : current.serial)
          + " stalled=" + stalled + " ins=" + ins + " retired=" + latency.count() + " p50="
          + latency.percentile(0.5) + " p99=" + latency.percentile(0.99) + " mean="
          + latency.mean() + " max=" + latency.max();
    }
  }

  /** Sleeps long gaps; on each firing injects a burst of work into its sources. */
  private static final class Timer extends Part {
    final int[] gaps;
    final int firings;
    final List<Source> targets = new ArrayList<>();
    final int burst;
    int fired;
    long nextCycle;

    Timer(Toy toy, String name, ClockDomain d, int[] gaps, int firings, int burst) {
      super(toy, name, d);
      this.gaps = gaps;
      this.firings = firings;
      this.burst = burst;
      this.nextCycle = gaps[0];
    }

    @Override
    public long tick(long cycle) {
      if (fired < firings && cycle >= nextCycle) {
        fired++;
        log("fire " + fired);
        for (Source src : targets) {
          src.add(burst);
          toy.wakeAsap(src);
        }
        nextCycle = cycle + gaps[fired % gaps.length];
      }
      return fired < firings ? nextCycle : NEVER;
    }

    @Override
    String state() {
      return "fired=" + fired;
    }
  }

  /** Samples queue occupancies every few cycles of its own domain, a bounded number of times. */
  private static final class Poller extends Part {
    final List<Fifo> watched = new ArrayList<>();
    final int every;
    final int samples;
    int taken;
    long nextCycle;
    long occupancySum;

    Poller(Toy toy, String name, ClockDomain d, int every, int samples, int offset) {
      super(toy, name, d);
      this.every = every;
      this.samples = samples;
      this.nextCycle = offset;
    }

    @Override
    public long tick(long cycle) {
      if (taken < samples && cycle >= nextCycle) {
        StringBuilder b = new StringBuilder("sample");
        for (Fifo f : watched) {
          b.append(' ').append(f.name).append('=').append(f.items.size());
          occupancySum += f.items.size();
        }
        log(b.toString());
        taken++;
        nextCycle = cycle + every;
      }
      return taken < samples ? nextCycle : NEVER;
    }

    @Override
    String state() {
      return "taken=" + taken + " occupancySum=" + occupancySum;
    }
  }

  private static int[] randomInts(SplittableRandom r, int n, int lo, int hi) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextInt(lo, hi + 1);
    }
    return a;
  }

  private static final long[][] FREQUENCY_SETS = {
    {1_300_000_000L, 650_000_000L, 1_000_000_000L},
    {1_600_000_000L, 1_000_000_000L, 650_000_000L},
    {2_000_000_000L, 1_000_000_000L, 1_000_000_000L},
    {1_000_000_000L, 333_000_000L, 1_100_000_000L},
  };

  /** Builds a toy system of the given kind; everything random is drawn from the seed alone. */
  private static Toy build(String kind, long seed, boolean fastForward) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] freqs = FREQUENCY_SETS[r.nextInt(FREQUENCY_SETS.length)];
    ClockDomain a = new ClockDomain("A", freqs[0]);
    ClockDomain b = new ClockDomain("B", freqs[1]);
    ClockDomain c = new ClockDomain("C", freqs[2]);
    TimeBase tb = TimeBase.of(List.of(a, b, c));
    ClockDomain[] doms = {a, b, c};
    Toy toy = new Toy(tb, fastForward, r.nextInt(3));
    long linkMax = 4 * c.periodTicks();
    switch (kind) {
      case "producer-consumer" -> {
        // a producer fills a small queue faster than the consumer drains it (fixed cycles per
        // item), so it blocks and is woken when space frees; a poller in a third domain samples.
        Source src = new Source(toy, "src", a, randomInts(r, 7, 1, 4), 40 + r.nextInt(40), 0);
        Fifo q = new Fifo("q", 1 + r.nextInt(4));
        Server con = new Server(toy, "con", b, new int[] {3 + r.nextInt(6)}, 0);
        src.out = q;
        src.consumer = con;
        con.input(q, src);
        Poller poll = new Poller(toy, "poll", c, 5 + r.nextInt(20), 30, r.nextInt(10));
        poll.watched.add(q);
        Timer timer = new Timer(toy, "timer", c, randomInts(r, 3, 500, 2_000), 4, 5 + r.nextInt(10));
        timer.targets.add(src);
      }
      case "pipeline" -> {
        // three stages over three domains with link latencies, random service times and
        // back-pressure all the way up; a timer injects bursts after long idle gaps.
        Source src = new Source(toy, "src", doms[r.nextInt(3)], randomInts(r, 5, 1, 6), 30,
            r.nextLong(0, linkMax));
        Fifo f1 = new Fifo("f1", 1 + r.nextInt(3));
        Fifo f2 = new Fifo("f2", 1 + r.nextInt(3));
        Fifo f3 = new Fifo("f3", 1 + r.nextInt(3));
        Server s1 = new Server(toy, "s1", doms[r.nextInt(3)], randomInts(r, 9, 1, 8), r.nextLong(0, linkMax));
        Server s2 = new Server(toy, "s2", doms[r.nextInt(3)], randomInts(r, 9, 1, 12), r.nextLong(0, linkMax));
        Server sink = new Server(toy, "sink", doms[r.nextInt(3)], randomInts(r, 9, 1, 10), 0);
        src.out = f1;
        src.consumer = s1;
        s1.input(f1, src);
        s1.out = f2;
        s1.down = s2;
        s2.input(f2, s1);
        s2.out = f3;
        s2.down = sink;
        sink.input(f3, s2);
        Poller poll = new Poller(toy, "poll", doms[r.nextInt(3)], 7 + r.nextInt(30), 25, r.nextInt(50));
        poll.watched.addAll(List.of(f1, f2, f3));
        Timer timer = new Timer(toy, "timer", doms[r.nextInt(3)], randomInts(r, 4, 300, 3_000), 5,
            3 + r.nextInt(12));
        timer.targets.add(src);
      }
      case "fan-in" -> {
        // two producers in different domains share a round-robin server, which feeds a sink.
        Source p = new Source(toy, "p", a, randomInts(r, 5, 1, 5), 20, r.nextLong(0, linkMax));
        Source q = new Source(toy, "q", b, randomInts(r, 5, 1, 5), 20, r.nextLong(0, linkMax));
        Fifo fp = new Fifo("fp", 1 + r.nextInt(2));
        Fifo fq = new Fifo("fq", 1 + r.nextInt(2));
        Fifo fo = new Fifo("fo", 1 + r.nextInt(3));
        Server arb = new Server(toy, "arb", c, randomInts(r, 4, 1, 4), r.nextLong(0, linkMax));
        Server sink = new Server(toy, "sink", a, randomInts(r, 6, 2, 9), 0);
        p.out = fp;
        p.consumer = arb;
        q.out = fq;
        q.consumer = arb;
        arb.input(fp, p);
        arb.input(fq, q);
        arb.out = fo;
        arb.down = sink;
        sink.input(fo, arb);
        Timer timer = new Timer(toy, "timer", b, randomInts(r, 3, 400, 2_500), 4, 2 + r.nextInt(6));
        timer.targets.addAll(List.of(p, q));
        Poller poll = new Poller(toy, "poll", c, 11 + r.nextInt(20), 20, r.nextInt(30));
        poll.watched.addAll(List.of(fp, fq, fo));
      }
      default -> throw new IllegalArgumentException(kind);
    }
    // registration order (= order within a tick) is part of the configuration
    List<Part> order = new ArrayList<>(toy.parts);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      Part t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    for (Part p : order) {
      p.id = toy.s.register(p, p.domain);
    }
    toy.log.add("order " + order.stream().map(p -> p.name).toList() + " wakeStyle " + toy.wakeStyle
        + " tickHz " + tb.tickHz());
    return toy;
  }

  static Stream<Arguments> toyConfigs() {
    return configs(8);
  }

  static Stream<Arguments> fewerToyConfigs() {
    return configs(4);
  }

  private static Stream<Arguments> configs(int seedsPerKind) {
    List<Arguments> out = new ArrayList<>();
    for (String kind : List.of("producer-consumer", "pipeline", "fan-in")) {
      for (long seed = 1; seed <= seedsPerKind; seed++) {
        out.add(Arguments.of(kind, seed * 7919));
      }
    }
    return out.stream();
  }

  private static void assertSameLines(List<String> expected, List<String> actual, String what) {
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        List<String> ctxE = expected.subList(Math.max(0, i - 5), Math.min(expected.size(), i + 5));
        List<String> ctxA = actual.subList(Math.max(0, i - 5), Math.min(actual.size(), i + 5));
        fail(what + " first differ at line " + i + "\nno fast-forward:\n  " + String.join("\n  ", ctxE)
            + "\nfast-forward:\n  " + String.join("\n  ", ctxA));
      }
    }
    assertEquals(expected.size(), actual.size(), what + " length");
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("toyConfigs")
  void fastForwardGivesIdenticalEventsAndStateWithFarFewerTicks(String kind, long seed) {
    Toy slow = build(kind, seed, false);
    slow.s.run();
    Toy fast = build(kind, seed, true);
    fast.s.run();

    assertSameLines(slow.log, fast.log, "event log");
    assertSameLines(slow.finalState(), fast.finalState(), "final state");
    // the system really did something, and drained
    assertTrue(slow.log.size() > 100, "only " + slow.log.size() + " events");
    for (Part p : slow.parts) {
      if (p instanceof Source src) {
        assertEquals(0, src.remaining, src.name + " did not drain");
      }
    }
    long saved = slow.s.ticksExecuted() / Math.max(1, fast.s.ticksExecuted());
    assertTrue(saved >= 10, "fast-forward ran " + fast.s.ticksExecuted() + " ticks against "
        + slow.s.ticksExecuted() + " without it");
  }

  /**
   * A harness that runs in slices and injects work between them from outside (using
   * cycleOf(domain) as "now", the natural idiom) sees the same times and the same results in both
   * modes.
   */
  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("fewerToyConfigs")
  void slicedRunsWithOutsideInjectionAgreeAcrossModes(String kind, long seed) {
    List<List<String>> results = new ArrayList<>();
    List<Long> ticks = new ArrayList<>();
    for (boolean ff : new boolean[] {false, true}) {
      Toy toy = build(kind, seed, ff);
      SplittableRandom r = new SplittableRandom(seed ^ 0xABCDEF);
      long bound = 0;
      List<String> harness = new ArrayList<>();
      Source src = (Source) toy.parts.get(0);
      for (int slice = 0; slice < 40; slice++) {
        bound += r.nextLong(1, 300 * src.domain.periodTicks());
        toy.s.run(bound);
        assertTrue(toy.s.now() <= bound);
        harness.add("slice " + slice + " now=" + toy.s.now() + " cycle=" + toy.s.cycleOf(src.domain));
        if (r.nextInt(4) == 0) {
          src.add(2);
          toy.s.wake(src.id, toy.s.cycleOf(src.domain));
          harness.add("inject at " + toy.s.now());
        }
      }
      toy.s.run();
      List<String> all = new ArrayList<>(toy.log);
      all.addAll(harness);
      all.addAll(toy.finalState());
      results.add(all);
      ticks.add(toy.s.ticksExecuted());
    }
    assertSameLines(results.get(0), results.get(1), "sliced run");
    assertTrue(ticks.get(1) < ticks.get(0));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("fewerToyConfigs")
  void runningInSlicesGivesTheSameResultAsOneRun(String kind, long seed) {
    for (boolean ff : new boolean[] {false, true}) {
      Toy whole = build(kind, seed, ff);
      whole.s.run();
      Toy sliced = build(kind, seed, ff);
      SplittableRandom r = new SplittableRandom(seed + 1);
      long bound = 0;
      long span = Math.max(2, whole.s.now() / 30);
      while (bound < whole.s.now()) {
        bound += r.nextInt(3) == 0 ? r.nextLong(1, 50) : r.nextLong(1, span); // some cut edges
        sliced.s.run(bound);
      }
      sliced.s.run();
      assertSameLines(whole.log, sliced.log, "ff=" + ff + " event log");
      assertSameLines(whole.finalState(), sliced.finalState(), "ff=" + ff + " final state");
      assertEquals(whole.s.ticksExecuted(), sliced.s.ticksExecuted());
    }
  }
}
