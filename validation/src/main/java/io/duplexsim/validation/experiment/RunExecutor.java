package io.duplexsim.validation.experiment;

import java.util.List;

/**
 * Executes a list of runs. The local implementation is {@link LocalExecutor}; a distributed engine
 * implements the same contract (runs and results are plain data: {@link ExperimentRun#config()} is the
 * complete scenario as text, {@link RunResult#metrics()} a JSON-like map).
 */
public interface RunExecutor {
  /**
   * Runs every run, telling {@code listener} as each starts and finishes, and returns the results in
   * the order of {@code runs} whatever the order they finished in. On the first failure no new run is
   * started, and that failure is rethrown once the runs in flight have ended (their results have been
   * given to the listener).
   */
  List<RunResult> execute(List<ExperimentRun> runs, RunListener listener);
}
