package io.duplexsim.validation.suite;

import io.duplexsim.validation.run.Scenario;
import io.duplexsim.validation.run.ScenarioRunner;
import io.duplexsim.workloads.serving.ServingResult;
import java.io.PrintWriter;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a suite's scenarios on {@code jobs} threads (each run is independent and deterministic, so the
 * results do not depend on the order or the thread count) and prints a line as each finishes.
 */
public final class SuiteRunner {
  private SuiteRunner() {}

  /** A rough cost for ordering: devices x requests x (prompt + output) tokens. */
  static double work(Scenario s) {
    double tokens = LengthDistribution.parse(s.inputLen(), "input-len").mean()
        + LengthDistribution.parse(s.outputLen(), "output-len").mean();
    return (double) s.devicesPerNode() * s.nodes() * s.requests() * tokens;
  }

  public static Map<String, ServingResult> run(Map<String, Scenario> runs, int jobs, PrintWriter progress) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    try {
      List<String> keys = new ArrayList<>(runs.keySet());
      // the longest runs first, so that the last to finish is not a long one started late
      List<String> order = new ArrayList<>(keys);
      order.sort(Comparator.comparingDouble((String k) -> -work(runs.get(k))));
      Map<String, Future<ServingResult>> futures = new HashMap<>();
      for (String key : order) {
        Scenario s = runs.get(key);
        futures.put(key, pool.submit(() -> {
          ServingResult r = ScenarioRunner.run(s);
          synchronized (progress) {
            progress.printf(Locale.ROOT, "[%d/%d] %s  %.0f tokens/s  (%.0f s)%n", done.incrementAndGet(), keys.size(),
                key, r.throughputTokensPerS(), (System.nanoTime() - start) / 1e9);
            progress.flush();
          }
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
