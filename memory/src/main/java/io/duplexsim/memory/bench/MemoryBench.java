package io.duplexsim.memory.bench;

import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemoryResult;
import io.duplexsim.memory.MemorySimulation;
import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.SyntheticPattern;
import io.duplexsim.memory.frontend.SyntheticPattern.PatternParams;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Simulation speed on the traces peers are measured on: 1M requests of 32 B on one HBM3 stack,
 * sequential, random reads, 2:1 read/write random and an 8 KiB stride. Reports requests and
 * pseudo-channel-cycles simulated per wall second, with the protocol checker off, and the cost of
 * turning it on. Trace generation is excluded from the timing; a warm-up run lets the JIT compile
 * the hot paths first.
 */
public final class MemoryBench {
  private MemoryBench() {}

  /**
   * One measured run. {@code componentTicks} counts the simulator's work (the ticks fast-forward did not
   * skip): unlike the times, it does not depend on the machine or its load, so it compares speed work
   * across noisy machines. {@code cpuSeconds} is the simulating thread's CPU time.
   */
  public record Row(String trace, boolean check, long requests, long cycles, double wallSeconds,
      double requestsPerSecond, double pseudoChannelCyclesPerSecond, double bandwidthGBps, long componentTicks,
      double cpuSeconds) {}

  public static List<Row> run(String standard, long requests, boolean includeCheck, Consumer<Row> progress) {
    PatternParams defaults = PatternParams.defaults();
    record Case(String name, SyntheticPattern pattern, PatternParams params) {}
    List<Case> cases = List.of(
        new Case("stream", SyntheticPattern.STREAM, defaults),
        new Case("random", SyntheticPattern.RANDOM, defaults),
        new Case("mix-2:1", SyntheticPattern.MIX, defaults.withReadFraction(2.0 / 3.0)),
        new Case("stride-8KiB", SyntheticPattern.STRIDED, defaults.withStrideBytes(8192)));
    MemoryConfig config = MemoryConfig.builder(standard).build();
    // Warm-up: compile the controller's hot loops before timing anything.
    for (Case c : cases) {
      MemorySimulation.run(config, c.pattern.generate(Math.min(requests, 100_000), 99, c.params));
    }
    List<Row> rows = new ArrayList<>();
    for (Case c : cases) {
      RequestTrace trace = c.pattern.generate(requests, 1, c.params);
      rows.add(measure(c.name, config, trace, progress));
      if (includeCheck) {
        rows.add(measure(c.name, config.toBuilder().check(true).build(), trace, progress));
      }
    }
    return rows;
  }

  private static Row measure(String name, MemoryConfig config, RequestTrace trace, Consumer<Row> progress) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    long start = System.nanoTime();
    MemoryResult r = MemorySimulation.run(config, trace);
    double wall = (System.nanoTime() - start) / 1e9;
    double cpu = cpuStart < 0 ? Double.NaN : (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    Row row = new Row(name, config.check(), r.requests(), r.cycles(), wall, r.requests() / wall,
        r.cycles() * (double) r.pseudoChannels() / wall, r.bandwidthGBps(), r.componentTicks(), cpu);
    progress.accept(row);
    return row;
  }
}
