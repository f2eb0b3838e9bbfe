package io.duplexsim.validation.experiment;

import io.duplexsim.units.exec.ShapeHelpers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs in this process: on the calling thread when {@code threads} is 1, else on a pool of that many
 * threads. Each run builds its own system, op pricing and memo; parallel runs share only the process's
 * store of simulated op prices (thread-safe, and a shape's price is the same whichever run simulated it),
 * so they give the same results as sequential ones.
 */
public final class LocalExecutor implements RunExecutor {
  private final int threads;
  private final Simulator simulator;

  public LocalExecutor(int threads) {
    this(threads, Simulator.SERVING);
  }

  public LocalExecutor(int threads, Simulator simulator) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive: " + threads);
    }
    this.threads = threads;
    this.simulator = simulator;
  }

  public int threads() {
    return threads;
  }

  @Override
  public List<RunResult> execute(List<ExperimentRun> runs, RunListener listener) {
    RunResult[] results = new RunResult[runs.size()];
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    if (threads == 1 || runs.size() <= 1) {
      for (int i = 0; i < runs.size() && failure.get() == null; i++) {
        results[i] = runOne(runs.get(i), listener, failure);
      }
    } else {
      ShapeHelpers.expectParallelRuns(Math.min(threads, runs.size()));
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, runs.size()), r -> {
        Thread t = new Thread(r, "duplexsim-run");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<RunResult>> futures = new ArrayList<>();
        for (ExperimentRun run : runs) {
          // A run queued after a failure returns at once without simulating.
          futures.add(pool.submit(() -> failure.get() == null ? runOne(run, listener, failure) : null));
        }
        for (int i = 0; i < futures.size(); i++) {
          results[i] = futures.get(i).get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running experiments", e);
      } catch (ExecutionException e) {
        // runOne catches RuntimeExceptions; anything here is an Error.
        throw new IllegalStateException(e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return Arrays.asList(results);
  }

  private RunResult runOne(ExperimentRun run, RunListener listener, AtomicReference<RuntimeException> failure) {
    listener.started(run);
    try {
      RunResult r = simulator.simulate(run);
      listener.finished(r);
      return r;
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
      listener.failed(run, e);
      return null;
    }
  }
}
