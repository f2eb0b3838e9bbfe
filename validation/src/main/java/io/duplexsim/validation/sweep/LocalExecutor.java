package io.duplexsim.validation.sweep;

import io.duplexsim.units.exec.ShapeHelpers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a sweep on this machine: {@code jobs} runs at once on a fixed pool of daemon threads. Results reach
 * the sink on the calling thread in the order runs finish, so the sink needs no locking.
 */
public final class LocalExecutor implements SweepExecutor {
  private final int jobs;

  public LocalExecutor(int jobs) {
    if (jobs <= 0) {
      throw new IllegalArgumentException("jobs must be positive, got " + jobs);
    }
    this.jobs = jobs;
  }

  @Override
  public int parallelism() {
    return jobs;
  }

  private record Finished(SweepPoint point, Map<String, Object> result, double wallSeconds) {}

  @Override
  public void run(SweepPlan spec, List<SweepPoint> points, Worker worker, Sink sink) {
    if (points.isEmpty()) {
      return;
    }
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "sweep-" + n.incrementAndGet());
      t.setDaemon(true); // a failed sweep must not hang the JVM on a long run still going
      return t;
    };
    ShapeHelpers.expectParallelRuns(Math.min(jobs, points.size()));
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, points.size()), threads);
    CompletionService<Finished> done = new ExecutorCompletionService<>(pool);
    try {
      for (SweepPoint p : points) {
        done.submit(() -> {
          long start = System.nanoTime();
          Map<String, Object> result = worker.run(p, spec.scenarioValues(p));
          return new Finished(p, result, (System.nanoTime() - start) / 1e9);
        });
      }
      for (int i = 0; i < points.size(); i++) {
        Future<Finished> f = done.take();
        Finished r;
        try {
          r = f.get();
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        } catch (CancellationException e) {
          continue;
        }
        sink.done(r.point(), r.result(), r.wallSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep interrupted", e);
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(cause);
  }
}
