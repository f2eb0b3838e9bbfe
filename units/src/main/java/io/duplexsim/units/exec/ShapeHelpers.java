package io.duplexsim.units.exec;

import io.duplexsim.sim.InputException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Helper threads shared by every memo in the process: a run's thread and they simulate new shapes side by
 * side. As many as the processors the process's parallel runs leave free ({@link #expectParallelRuns};
 * one run: all but the run's own), or {@value #SHAPE_THREADS_VARIABLE} less one; none on a single core.
 * Shared, so that a sweep's parallel runs add none of their own. Prices do not depend on them.
 */
public final class ShapeHelpers {
  /** The environment variable that sets how many threads a run may simulate new shapes on. */
  public static final String SHAPE_THREADS_VARIABLE = "DUPLEXSIM_SHAPE_THREADS";

  private static ExecutorService pool;
  private static int count = -1;
  /** Runs this process will have going at once (a sweep's), which the helpers leave their cores to. */
  private static int parallelRuns = 1;

  private ShapeHelpers() {}

  /** The shared pool (started on first use), or null when there are no helpers. */
  static synchronized ExecutorService pool() {
    start();
    return pool;
  }

  /** The shared pool's threads (started on first use). */
  static synchronized int count() {
    start();
    return count;
  }

  private static void start() {
    if (count >= 0) {
      return;
    }
    int threads = shapeThreads(System.getenv(SHAPE_THREADS_VARIABLE), Runtime.getRuntime().availableProcessors(),
        parallelRuns);
    count = threads - 1;
    if (threads < 2) {
      return;
    }
    AtomicInteger made = new AtomicInteger();
    pool = Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "memo-shape-" + made.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Tells the memos that {@code runs} runs will go on at once in this process (a sweep's, a comparison's,
   * a suite's): the shared helpers then take only the cores those runs leave (none when the runs take them
   * all), so that runs and helpers together do not crowd the machine. Applies when no memo has started the
   * helpers yet; {@value #SHAPE_THREADS_VARIABLE}, when set, decides instead.
   */
  public static synchronized void expectParallelRuns(int runs) {
    parallelRuns = Math.max(1, runs);
  }

  /**
   * Threads for a run's new shapes, its own included: {@code setting} (a positive integer) if given, else
   * the processors that {@code runs} parallel runs leave free, plus the run's own.
   */
  static int shapeThreads(String setting, int processors, int runs) {
    if (setting == null || setting.isBlank()) {
      return Math.max(1, processors - runs + 1);
    }
    try {
      int n = Integer.parseInt(setting.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new InputException(SHAPE_THREADS_VARIABLE + " must be a whole number of threads, 1 or more; got '"
        + setting + "'");
  }
}
