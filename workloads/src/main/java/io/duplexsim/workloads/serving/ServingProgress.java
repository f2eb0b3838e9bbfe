package io.duplexsim.workloads.serving;

/**
 * Told how far a serving run has got, after every iteration: for a progress display (a first run on new
 * hardware simulates its op shapes for minutes before requests finish). Watching changes nothing that
 * is simulated.
 */
@FunctionalInterface
public interface ServingProgress {
  /** Watches nothing. */
  ServingProgress NONE = (finishedRequests, clockNs) -> { };

  /** After an iteration: the requests finished so far and the simulated clock at the iteration's end. */
  void iterated(int finishedRequests, double clockNs);
}
