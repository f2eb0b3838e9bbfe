package io.duplexsim.memory.bench;

import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemoryResult;
import io.duplexsim.memory.MemorySimulation;
import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.SyntheticPattern;
import io.duplexsim.memory.frontend.SyntheticPattern.PatternParams;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Simulation speed on the traces peers are measured on: 1M requests of 32 B on one HBM3 stack,
 * sequential, random reads, 2:1 read/write random and an 8 KiB stride. Reports requests and
 * pseudo-channel-cycles simulated per wall second, with the protocol checker off, and the cost of
 * turning it on. Trace generation is excluded from the timing. As JMH does, the JIT is warmed up before
 * anything is timed: a short run of every trace (so the controller is compiled with every trace's
 * branches seen), then full-length warm-up runs of the trace about to be timed; the trace is then timed
 * several times and its median run reported, with the fastest and slowest beside it. Each trace is
 * measured at every thread count asked for ({@link MemorySimulation#run(MemoryConfig, RequestTrace, int)}:
 * the pseudo-channels in lanes, one thread each; the simulated columns do not change).
 */
public final class MemoryBench {
  private MemoryBench() {}

  /**
   * One trace's measurement: the median of its timed runs (by wall time), with the fastest and slowest
   * runs' wall times. {@code componentTicks} counts the simulator's work (the ticks fast-forward did not
   * skip): unlike the times, it does not depend on the machine or its load, so it compares speed work
   * across noisy machines. {@code cpuSeconds} is the process's CPU time in the median run (every lane's
   * thread, and the JIT's and the collector's). {@code threads} is the lanes the run used (a trace
   * reaching one lane's pseudo-channels only runs on one).
   */
  public record Row(String trace, boolean check, int threads, long requests, long cycles, double wallSeconds,
      double requestsPerSecond, double pseudoChannelCyclesPerSecond, double bandwidthGBps, long componentTicks,
      double cpuSeconds, double fastestWallSeconds, double slowestWallSeconds) {}

  /** How many full-length runs of a trace warm up the JIT, and how many are then timed. */
  public record Repeats(int warmups, int iterations) {
    public Repeats {
      if (warmups < 0 || iterations < 1) {
        throw new IllegalArgumentException("warm-ups >= 0 and iterations >= 1 expected, got " + warmups + ", "
            + iterations);
      }
    }
  }

  public static List<Row> run(String standard, long requests, boolean includeCheck, int[] threadCounts,
      Repeats repeats, Consumer<Row> progress) {
    PatternParams defaults = PatternParams.defaults();
    record Case(String name, SyntheticPattern pattern, PatternParams params) {}
    List<Case> cases = List.of(
        new Case("stream", SyntheticPattern.STREAM, defaults),
        new Case("random", SyntheticPattern.RANDOM, defaults),
        new Case("mix-2:1", SyntheticPattern.MIX, defaults.withReadFraction(2.0 / 3.0)),
        new Case("stride-8KiB", SyntheticPattern.STRIDED, defaults.withStrideBytes(8192)));
    MemoryConfig config = MemoryConfig.builder(standard).build();
    // Warm-up: compile the controller's hot loops, with every trace's branches seen, before timing anything.
    for (Case c : cases) {
      for (int threads : threadCounts) {
        MemorySimulation.run(config, c.pattern.generate(Math.min(requests, 100_000), 99, c.params), threads);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Case c : cases) {
      RequestTrace trace = c.pattern.generate(requests, 1, c.params);
      for (int threads : threadCounts) {
        rows.add(measure(c.name, config, trace, threads, repeats, progress));
        if (includeCheck) {
          rows.add(measure(c.name, config.toBuilder().check(true).build(), trace, threads, repeats, progress));
        }
      }
    }
    return rows;
  }

  private static Row measure(String name, MemoryConfig config, RequestTrace trace, int threads, Repeats repeats,
      Consumer<Row> progress) {
    for (int i = 0; i < repeats.warmups(); i++) {
      MemorySimulation.run(config, trace, threads);
    }
    List<Row> timed = new ArrayList<>();
    for (int i = 0; i < repeats.iterations(); i++) {
      timed.add(once(name, config, trace, threads));
    }
    timed.sort(Comparator.comparingDouble(Row::wallSeconds));
    Row median = timed.get(timed.size() / 2);
    Row row = new Row(median.trace(), median.check(), median.threads(), median.requests(), median.cycles(),
        median.wallSeconds(), median.requestsPerSecond(), median.pseudoChannelCyclesPerSecond(), median.bandwidthGBps(),
        median.componentTicks(), median.cpuSeconds(), timed.get(0).wallSeconds(),
        timed.get(timed.size() - 1).wallSeconds());
    progress.accept(row);
    return row;
  }

  private static Row once(String name, MemoryConfig config, RequestTrace trace, int threads) {
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    MemoryResult r = MemorySimulation.run(config, trace, threads);
    double wall = (System.nanoTime() - start) / 1e9;
    double cpu = cpuStart < 0 ? Double.NaN : (processCpuNanos() - cpuStart) / 1e9;
    return new Row(name, config.check(), r.threads(), r.requests(), r.cycles(), wall, r.requests() / wall,
        r.cycles() * (double) r.pseudoChannels() / wall, r.bandwidthGBps(), r.componentTicks(), cpu, wall, wall);
  }

  /** CPU time of the whole process so far (-1 where the JVM does not tell). */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }
}
