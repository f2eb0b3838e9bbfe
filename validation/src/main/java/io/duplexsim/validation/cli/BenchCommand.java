package io.duplexsim.validation.cli;

import io.duplexsim.memory.bench.MemoryBench;
import io.duplexsim.memory.standard.Standards;
import io.duplexsim.sim.InputException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplexsim bench}: simulation speed of the memory system (see BENCHMARKS.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure simulated requests and pseudo-channel-cycles per wall second on 1M-request traces.")
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--standard", defaultValue = "HBM3-5.2", description = "Memory standard (default ${DEFAULT-VALUE}).")
  String standard;

  @Option(names = "--requests", defaultValue = "1000000", description = "Requests per trace (default ${DEFAULT-VALUE}).")
  long requests;

  @Option(names = "--with-check", description = "Also time each trace with the protocol checker on.")
  boolean withCheck;

  @Option(names = "--warmup", defaultValue = "1",
      description = "Full-length untimed runs of each trace before its timed ones (default ${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--threads", paramLabel = "N[,N...]", defaultValue = "1,2", split = ",",
      description = "Thread counts to time each trace at (lanes of pseudo-channels; default ${DEFAULT-VALUE}).")
  int[] threads;

  @Option(names = "--iterations", defaultValue = "3",
      description = "Timed runs of each trace; the median is reported (default ${DEFAULT-VALUE}).")
  int iterations;

  @Override
  public Integer call() {
    if (requests <= 0) {
      throw new InputException("--requests must be positive, got " + requests);
    }
    if (warmups < 0) {
      throw new InputException("--warmup must be 0 or more, got " + warmups);
    }
    if (iterations < 1) {
      throw new InputException("--iterations must be 1 or more, got " + iterations);
    }
    for (int t : threads) {
      if (t < 1) {
        throw new InputException("--threads must list counts of 1 or more, got " + t);
      }
    }
    if (!Standards.names().contains(standard)) {
      throw new InputException("unknown standard '" + standard + "'; expected one of " + Standards.names());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("# %d untimed run(s) per trace, then the median of %d timed runs (wall_range: fastest-slowest)%n",
        warmups, iterations);
    out.printf("# threads: the lanes of pseudo-channels the run used; cpu_s: the process's CPU time%n");
    out.printf("%-12s %-6s %7s %10s %12s %8s %14s %18s %10s %12s %8s %13s%n", "trace", "check", "threads", "requests",
        "cycles", "wall_s", "requests/s", "pCH-cycles/s", "GB/s", "ticks", "cpu_s", "wall_range");
    MemoryBench.run(standard, requests, withCheck, threads, new MemoryBench.Repeats(warmups, iterations), r -> {
      out.printf("%-12s %-6s %7d %10d %12d %8.3f %14.0f %18.0f %10.1f %12d %8.3f %6.3f-%.3f%n", r.trace(),
          r.check() ? "on" : "off", r.threads(), r.requests(), r.cycles(), r.wallSeconds(), r.requestsPerSecond(),
          r.pseudoChannelCyclesPerSecond(), r.bandwidthGBps(), r.componentTicks(), r.cpuSeconds(),
          r.fastestWallSeconds(), r.slowestWallSeconds());
      out.flush();
    });
    return 0;
  }
}
