package io.duplexsim.validation.suite;

import io.duplexsim.validation.run.Scenario;
import io.duplexsim.validation.run.ScenarioRunner;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.validation.experiment.ExperimentRun;
import io.duplexsim.validation.experiment.Progress;
import io.duplexsim.validation.experiment.RunListener;
import io.duplexsim.validation.experiment.RunResult;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a suite's scenarios on {@code jobs} threads (each run is independent and deterministic, so the
 * results do not depend on the order or the thread count), showing progress as each finishes.
 */
public final class SuiteRunner {
  private SuiteRunner() {}

  /** A rough cost for ordering: devices x requests x (prompt + output) tokens. */
  static double work(Scenario s) {
    double tokens = LengthDistribution.parse(s.inputLen(), "input-len").mean()
        + LengthDistribution.parse(s.outputLen(), "output-len").mean();
    return (double) s.devicesPerNode() * s.nodes() * s.requests() * tokens;
  }

  /** Runs them with a progress bar on a terminal, else a line per finished run on {@code lines}. */
  public static Map<String, ServingResult> run(String task, Map<String, Scenario> runs, int jobs, PrintWriter lines) {
    try (Progress progress = Progress.forConsole(task, runs.size(), lines)) {
      return run(runs, jobs, progress);
    }
  }

  /** Runs them, telling {@code listener} as each finishes (with its wall and CPU seconds). */
  public static Map<String, ServingResult> run(Map<String, Scenario> runs, int jobs, RunListener listener) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    try {
      List<String> keys = new ArrayList<>(runs.keySet());
      // the longest runs first, so that the last to finish is not a long one started late
      List<String> order = new ArrayList<>(keys);
      order.sort(Comparator.comparingDouble((String k) -> -work(runs.get(k))));
      Map<String, Future<ServingResult>> futures = new HashMap<>();
      for (String key : order) {
        Scenario s = runs.get(key);
        futures.put(key, pool.submit(() -> {
          long wall = System.nanoTime();
          long cpuStart = cpu.getCurrentThreadCpuTime();
          ServingResult r = ScenarioRunner.run(s);
          ExperimentRun run = new ExperimentRun(key, Map.of("run", key), s.values());
          listener.finished(new RunResult(run, Map.of("wall_s", (System.nanoTime() - wall) / 1e9,
              "cpu_s", (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9,
              "throughput_tokens_per_s", r.throughputTokensPerS())));
          return r;
        }));
      }
      Map<String, ServingResult> out = new LinkedHashMap<>();
      for (String key : keys) {
        out.put(key, futures.get(key).get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
