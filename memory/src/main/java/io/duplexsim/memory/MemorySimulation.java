package io.duplexsim.memory;

import io.duplexsim.memory.check.ProtocolChecker;
import io.duplexsim.memory.controller.PseudoChannelController;
import io.duplexsim.memory.frontend.LaneRun;
import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.TraceInjector;
import io.duplexsim.memory.standard.DataPath;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.InputException;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.sim.stats.Histogram;
import java.util.List;

/** Runs a request trace through a memory system until the last request completes. */
public final class MemorySimulation {
  private MemorySimulation() {}

  public static MemoryResult run(MemoryConfig config, RequestTrace trace) {
    return run(config, trace, null);
  }

  /** Cycles without any request completing, with work outstanding, after which the run is declared stuck. */
  static final long STALL_LIMIT_CYCLES = 2_000_000;

  /**
   * Runs the scheduler in slices (slicing changes nothing: the kernel's tests show a sliced run equals
   * a single one) and fails loudly if requests stop completing, instead of spinning forever.
   */
  private static void runWatched(Scheduler scheduler, ClockDomain clock, MemorySystem memory, TraceInjector injector,
      RequestTrace trace) {
    long lastCompleted = -1;
    long until = 0;
    while (true) {
      until += clock.tickOf(STALL_LIMIT_CYCLES);
      scheduler.run(until);
      long completed = memory.total(c -> c.completed());
      if (completed == trace.size()) {
        return;
      }
      if (completed == lastCompleted) {
        StringBuilder b = new StringBuilder("memory simulation stuck: no request completed in " + STALL_LIMIT_CYCLES
            + " cycles (" + completed + " of " + trace.size() + " done, " + injector.injected() + " injected)");
        for (int pc = 0; pc < memory.pseudoChannels(); pc++) {
          if (!memory.controller(pc).idle()) {
            b.append("\n  ").append(memory.controller(pc).describe());
          }
        }
        throw new IllegalStateException(b.toString());
      }
      lastCompleted = completed;
    }
  }

  /** As {@link #run(MemoryConfig, RequestTrace)}, also passing every command to {@code extra}. */
  public static MemoryResult run(MemoryConfig config, RequestTrace trace, CommandObserver extra) {
    requireRequests(trace);
    long wallStart = System.nanoTime();
    DramStandard standard = MemorySystem.standardOf(config);
    ClockDomain clock = commandClock(standard);
    TimeBase timeBase = TimeBase.of(List.of(clock));
    Scheduler scheduler = new Scheduler(timeBase, config.fastForward());
    int pseudoChannels = config.stacks() * standard.org().pseudoChannelsPerStack();
    ProtocolChecker checker = config.check() ? new ProtocolChecker(standard, pseudoChannels) : null;
    CommandObserver observer = checker;
    if (extra != null) {
      observer = checker == null ? extra : (c, pc, cmd, r, g, b, row, col) -> {
        checker.onCommand(c, pc, cmd, r, g, b, row, col);
        extra.onCommand(c, pc, cmd, r, g, b, row, col);
      };
    }
    TraceInjector injector = new TraceInjector(trace, null, scheduler);
    // The injector ticks before the controllers within a cycle: a request arriving on cycle t can
    // be scheduled on cycle t.
    int injectorId = scheduler.register(injector, clock);
    MemorySystem memory = new MemorySystem(config, standard, clock, new Scheduler[] {scheduler},
        new CommandObserver[] {observer}, trace.types());
    injector.bind(memory);
    injector.attach(injectorId);
    runWatched(scheduler, clock, memory, injector, trace);
    return result(config, standard, clock, memory, trace, checker == null ? -1 : checker.violations(),
        scheduler.ticksExecuted(), 1, wallStart);
  }

  /**
   * As {@link #run(MemoryConfig, RequestTrace)} on {@code threads} threads: the pseudo-channels split
   * into that many lanes, each with its own scheduler, its own copy of the injector and its own
   * protocol checker, run side by side ({@link LaneRun}). Every simulated figure equals the one
   * thread's; the component ticks differ (each lane's injector copy ticks too), and so does the wall time.
   */
  public static MemoryResult run(MemoryConfig config, RequestTrace trace, int threads) {
    return run(config, trace, null, threads);
  }

  /**
   * As {@link #run(MemoryConfig, RequestTrace, int)}, also passing every command to {@code extra}, in
   * the one-thread run's order (with lanes, after the run).
   */
  public static MemoryResult run(MemoryConfig config, RequestTrace trace, CommandObserver extra, int threads) {
    if (threads < 1) {
      throw new InputException("threads must be at least 1, got " + threads);
    }
    if (threads == 1) {
      return run(config, trace, extra);
    }
    requireRequests(trace);
    long wallStart = System.nanoTime();
    DramStandard standard = MemorySystem.standardOf(config);
    ClockDomain clock = commandClock(standard);
    TimeBase timeBase = TimeBase.of(List.of(clock));
    int pseudoChannels = config.stacks() * standard.org().pseudoChannelsPerStack();
    LaneRun lanes = LaneRun.build(config, standard, clock, timeBase, trace, Math.min(threads, pseudoChannels),
        extra != null);
    if (lanes == null) {
      return run(config, trace, extra); // one lane would do all the work and wait for nobody: the same, without lanes
    }
    lanes.run(STALL_LIMIT_CYCLES);
    if (extra != null) {
      lanes.replayCommands(extra);
    }
    return result(config, standard, clock, lanes.memory(), trace, config.check() ? lanes.violations() : -1,
        lanes.ticksExecuted(), lanes.memory().lanes(), wallStart);
  }

  private static void requireRequests(RequestTrace trace) {
    if (trace.size() == 0) {
      throw new InputException("trace " + trace.name() + " has no requests");
    }
  }

  /** The clock the controllers and the injector tick on. */
  private static ClockDomain commandClock(DramStandard standard) {
    return new ClockDomain("hbm.command", standard.commandClockHz());
  }

  /** The figures of a finished run ({@code violations} -1: no checker). */
  private static MemoryResult result(MemoryConfig config, DramStandard standard, ClockDomain clock, MemorySystem memory,
      RequestTrace trace, long violations, long ticks, int threads, long wallStart) {
    int pseudoChannels = memory.pseudoChannels();
    long cycles = memory.lastCompletion();
    double simNs = clock.nsOf(cycles);
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, cycles);
    long reads = memory.total(c -> c.reads());
    long writes = memory.total(c -> c.writes());
    long bytes = 0;
    for (long b : memory.bytesByPath().values()) {
      bytes += b;
    }
    Histogram lat = memory.readLatency();
    double tCK = standard.tCKns();
    double wall = (System.nanoTime() - wallStart) / 1e9;
    double energy = ledger.totalPj();
    return new MemoryResult(standard.name(), config.stacks(), pseudoChannels, config.mapping(), config.pagePolicy(),
        config.rowHitCap(),
        config.refresh(), config.fastForward(), trace.size(), reads, writes, cycles, simNs,
        simNs > 0 ? bytes / simNs : 0, memory.peakGBps(), lat.mean() * tCK, lat.percentile(0.5) * tCK,
        lat.percentile(0.99) * tCK, lat.max() * tCK, memory.total(c -> c.rowHits()),
        memory.total(c -> c.rowMisses()), memory.total(c -> c.rowConflicts()), energy,
        bytes > 0 ? energy / (bytes * 8.0) : 0, ledger.byCategory(), memory.commandCounts(), memory.bytesByPath(),
        violations >= 0, Math.max(violations, 0), wall, wall > 0 ? cycles * (double) pseudoChannels / wall : 0,
        ticks, threads, perPseudoChannel(memory, simNs, tCK), quantiles(lat, tCK));
  }

  /** The read latency's quantiles in ns, q = i / {@link MemoryResult#QUANTILE_STEPS}: the distribution, for a CDF. */
  private static List<Double> quantiles(Histogram lat, double tCK) {
    List<Double> q = new java.util.ArrayList<>();
    for (int i = 0; i <= MemoryResult.QUANTILE_STEPS; i++) {
      q.add(lat.percentile(i / (double) MemoryResult.QUANTILE_STEPS) * tCK);
    }
    return List.copyOf(q);
  }

  private static List<PseudoChannelStats> perPseudoChannel(MemorySystem memory, double simNs, double tCK) {
    List<PseudoChannelStats> stats = new java.util.ArrayList<>();
    for (int pc = 0; pc < memory.pseudoChannels(); pc++) {
      PseudoChannelController c = memory.controller(pc);
      long bytes = 0;
      for (DataPath path : DataPath.values()) {
        bytes += c.bytes(path);
      }
      stats.add(new PseudoChannelStats(pc, c.reads(), c.writes(), bytes, simNs > 0 ? bytes / simNs : 0, c.rowHits(),
          c.rowMisses(), c.rowConflicts(), c.reads() > 0 ? c.readLatencySum() * tCK / c.reads() : 0));
    }
    return List.copyOf(stats);
  }
}
