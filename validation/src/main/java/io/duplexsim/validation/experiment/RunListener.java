package io.duplexsim.validation.experiment;

/**
 * Told as runs start and finish (progress display, appending results as they come). Called from the
 * executor's worker threads: implementations synchronise themselves.
 */
public interface RunListener {
  RunListener NONE = new RunListener() { };

  default void started(ExperimentRun run) { }

  default void finished(RunResult result) { }

  /** A run threw; the executor stops starting new runs and rethrows the first failure. */
  default void failed(ExperimentRun run, RuntimeException error) { }
}
