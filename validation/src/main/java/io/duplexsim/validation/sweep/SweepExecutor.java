package io.duplexsim.validation.sweep;

import java.util.List;
import java.util.Map;

/**
 * Runs the points of a sweep somewhere: {@link LocalExecutor} on this machine's cores; a distributed
 * engine would ship each point's scenario values to a worker and hand back its result the same way.
 * Points are independent and each run is deterministic, so the order they finish in changes nothing
 * but the order of the lines in sweep.jsonl.
 */
public interface SweepExecutor {
  /** Runs one point: its scenario's values in, the run's result (JSON-ready metrics) out. */
  @FunctionalInterface
  interface Worker {
    Map<String, Object> run(SweepPoint point, Map<String, String> scenarioValues);
  }

  /** Receives each finished run, one at a time (never concurrently), as it finishes. */
  @FunctionalInterface
  interface Sink {
    void done(SweepPoint point, Map<String, Object> result, double wallSeconds);
  }

  /**
   * Runs every point of {@code points} (their scenario values from {@code spec}) and passes each result
   * to {@code sink} as it finishes. Returns when all are done; on the first failure stops starting new
   * runs, waits for or cancels those running, and rethrows it (results already sunk stay sunk).
   */
  void run(SweepPlan spec, List<SweepPoint> points, Worker worker, Sink sink);

  /** How many runs go at once. */
  int parallelism();
}
