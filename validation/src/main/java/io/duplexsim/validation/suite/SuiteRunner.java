package io.duplexsim.validation.suite;

import io.duplexsim.validation.run.Scenario;
import io.duplexsim.validation.run.ScenarioRunner;
import io.duplexsim.workloads.serving.ServingResult;
import java.io.PrintWriter;
import java.util.ArrayList;
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

  public static Map<String, ServingResult> run(Map<String, Scenario> runs, int jobs, PrintWriter progress) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    try {
      List<String> keys = new ArrayList<>(runs.keySet());
      List<Future<ServingResult>> futures = new ArrayList<>();
      for (String key : keys) {
        Scenario s = runs.get(key);
        futures.add(pool.submit(() -> {
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
      for (int i = 0; i < keys.size(); i++) {
        out.put(keys.get(i), futures.get(i).get());
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
