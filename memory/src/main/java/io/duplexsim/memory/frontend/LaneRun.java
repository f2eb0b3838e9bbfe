package io.duplexsim.memory.frontend;

import io.duplexsim.memory.CommandObserver;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.check.ProtocolChecker;
import io.duplexsim.memory.mapping.AddressMapping;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;

/**
 * A trace run through a memory system split into lanes, one thread each: lane k's scheduler ticks
 * its {@link LaneInjector} and then the controllers of its pseudo-channels. When a lane's last access
 * has issued it stops, as the one-thread run stops at the last access of all; once every lane has
 * stopped, each simulates on up to the latest of those cycles, so that its controllers' refresh runs
 * exactly as long as in the one-thread run.
 */
public final class LaneRun {
  private final ClockDomain clock;
  private final Scheduler[] schedulers;
  private final LaneInjector[] injectors;
  private final ProtocolChecker[] checkers;
  private final LaneCommandLog[] logs;
  private final LaneExchange exchange;
  private final MemorySystem memory;
  private final RequestTrace trace;

  private LaneRun(ClockDomain clock, Scheduler[] schedulers, LaneInjector[] injectors, ProtocolChecker[] checkers,
      LaneCommandLog[] logs, LaneExchange exchange, MemorySystem memory, RequestTrace trace) {
    this.logs = logs;
    this.clock = clock;
    this.schedulers = schedulers;
    this.injectors = injectors;
    this.checkers = checkers;
    this.exchange = exchange;
    this.memory = memory;
    this.trace = trace;
  }

  /**
   * Builds the lanes: schedulers, a checker each if the config asks, the memory system, the injector
   * copies. Null if fewer than two lanes would have requests of their own: one lane would then do all
   * the work, waiting for nobody, and the one-thread run does the same without the copies.
   */
  public static LaneRun build(MemoryConfig config, DramStandard standard, ClockDomain clock, TimeBase timeBase,
      RequestTrace trace, int lanes, boolean recordCommands) {
    int pseudoChannels = config.stacks() * standard.org().pseudoChannelsPerStack();
    AddressMapping mapping = AddressMapping.of(config.mapping(), standard.org(), config.stacks());
    int n = trace.size();
    int[] pseudoChannelOf = new int[n];
    long[] localTotal = new long[lanes];
    int[] decoded = new int[6];
    for (int i = 0; i < n; i++) {
      mapping.decode(trace.address(i), trace.type(i), decoded);
      int pc = decoded[AddressMapping.PCH];
      pseudoChannelOf[i] = pc;
      localTotal[MemorySystem.laneOf(pc, lanes, pseudoChannels)]++;
    }
    int busy = 0;
    for (long t : localTotal) {
      busy += t > 0 ? 1 : 0;
    }
    if (busy < 2) {
      return null;
    }
    Scheduler[] schedulers = new Scheduler[lanes];
    ProtocolChecker[] checkers = new ProtocolChecker[lanes];
    CommandObserver[] observers = new CommandObserver[lanes];
    LaneCommandLog[] logs = recordCommands ? new LaneCommandLog[lanes] : null;
    LaneInjector[] injectors = new LaneInjector[lanes];
    LaneExchange exchange = new LaneExchange(lanes, trace.size());
    for (int k = 0; k < lanes; k++) {
      schedulers[k] = new Scheduler(timeBase, config.fastForward());
      if (config.check()) {
        checkers[k] = new ProtocolChecker(standard, pseudoChannels);
        observers[k] = checkers[k];
      }
      if (recordCommands) {
        LaneCommandLog log = logs[k] = new LaneCommandLog();
        ProtocolChecker checker = checkers[k];
        observers[k] = checker == null ? log : (c, pc, cmd, r, g, b, row, col) -> {
          checker.onCommand(c, pc, cmd, r, g, b, row, col);
          log.onCommand(c, pc, cmd, r, g, b, row, col);
        };
      }
      // Each scheduler's first component, ticking before the controllers in a cycle as the one injector does.
      injectors[k] = new LaneInjector(trace, k, exchange, schedulers[k], clock);
      injectors[k].attach(schedulers[k].register(injectors[k], clock));
    }
    MemorySystem memory = new MemorySystem(config, standard, clock, schedulers, observers, trace.types());
    for (int k = 0; k < lanes; k++) {
      injectors[k].bind(memory, pseudoChannelOf, localTotal[k]);
    }
    for (int pc = 0; pc < pseudoChannels; pc++) {
      memory.controller(pc).listenDepartures(injectors[memory.laneOf(pc)]);
    }
    return new LaneRun(clock, schedulers, injectors, checkers, logs, exchange, memory, trace);
  }

  /**
   * Runs every lane to the end, lane 0 on this thread. A lane whose last access does not come within
   * {@code stallLimit} cycles while it has accesses queued is stuck, and the run fails.
   */
  public void run(long stallLimit) {
    int lanes = schedulers.length;
    Throwable[] failure = new Throwable[lanes];
    Thread[] threads = new Thread[lanes];
    for (int k = 1; k < lanes; k++) {
      final int lane = k;
      threads[k] = new Thread(() -> runLane(lane, stallLimit, failure), "duplexsim-lane-" + k);
      threads[k].setDaemon(true);
      threads[k].start();
    }
    runLane(0, stallLimit, failure);
    boolean interrupted = false;
    for (int k = 1; k < lanes; k++) {
      while (threads[k].isAlive()) {
        try {
          threads[k].join();
        } catch (InterruptedException e) {
          interrupted = true;
          exchange.failed = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    // The first lane's own failure; a lane that only stopped because another failed says nothing.
    for (Throwable t : failure) {
      if (t != null && !(t instanceof LaneExchange.LaneAborted)) {
        if (t instanceof RuntimeException r) {
          throw r;
        }
        if (t instanceof Error e) {
          throw e;
        }
        throw new IllegalStateException(t);
      }
    }
  }

  private void runLane(int k, long stallLimit, Throwable[] failure) {
    try {
      Scheduler scheduler = schedulers[k];
      LaneInjector injector = injectors[k];
      long until = 0;
      long lastCompleted = -1;
      while (!injector.finished()) {
        until += clock.tickOf(stallLimit);
        scheduler.run(until);
        if (injector.finished()) {
          break;
        }
        long completed = injector.localCompleted();
        if (completed == lastCompleted && injector.localOutstanding() > 0) {
          throw new IllegalStateException(stuck(k, stallLimit));
        }
        lastCompleted = completed;
      }
      // Every lane's last access, then refresh on to the latest of them, as the one-thread run ends there.
      long end = -1;
      for (LaneExchange.Lane l : exchange.lanes) {
        long start = System.nanoTime();
        int spins = 0;
        while (l.endCycle == LaneExchange.NOT_DONE) {
          if (exchange.failed) {
            throw new LaneExchange.LaneAborted();
          }
          if (++spins < 512 || System.nanoTime() - start < 50_000) {
            Thread.onSpinWait();
          } else {
            // A lane without work left may wait long: leave the core to the lanes still simulating (and the
            // JIT); a short park would cost the host a timer interrupt every few microseconds.
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
          }
        }
        end = Math.max(end, l.endCycle);
      }
      scheduler.clearStop();
      if (end >= 0) {
        scheduler.run(clock.tickOf(end));
      }
    } catch (Throwable t) {
      failure[k] = t;
      exchange.failed = true;
    }
  }

  private String stuck(int lane, long stallLimit) {
    StringBuilder b = new StringBuilder("memory simulation stuck: no request of lane " + lane + " completed in "
        + stallLimit + " cycles (" + injectors[lane].localCompleted() + " done, " + injectors[lane].injected()
        + " of " + trace.size() + " walked)");
    for (int pc = 0; pc < memory.pseudoChannels(); pc++) {
      if (memory.laneOf(pc) == lane && !memory.controller(pc).idle()) {
        b.append("\n  ").append(memory.controller(pc).describe());
      }
    }
    return b.toString();
  }

  /** Shows every command of the run, in the one-thread order, to {@code observer} (built recording commands). */
  public void replayCommands(CommandObserver observer) {
    LaneCommandLog.replay(logs, observer);
  }

  public MemorySystem memory() {
    return memory;
  }

  /** Protocol violations over every lane's checker. */
  public long violations() {
    long v = 0;
    for (ProtocolChecker c : checkers) {
      v += c == null ? 0 : c.violations();
    }
    return v;
  }

  public long ticksExecuted() {
    long t = 0;
    for (Scheduler s : schedulers) {
      t += s.ticksExecuted();
    }
    return t;
  }
}
