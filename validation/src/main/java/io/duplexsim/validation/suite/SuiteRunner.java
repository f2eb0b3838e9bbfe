package io.duplexsim.validation.suite;

import io.duplexsim.validation.experiment.ExperimentRun;
import io.duplexsim.validation.experiment.LocalExecutor;
import io.duplexsim.validation.experiment.Progress;
import io.duplexsim.validation.experiment.RunListener;
import io.duplexsim.validation.experiment.Simulator;
import io.duplexsim.validation.run.Scenario;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

  /** Runs them on the experiment layer's {@link LocalExecutor}, telling {@code listener} as each finishes. */
  public static Map<String, ServingResult> run(Map<String, Scenario> runs, int jobs, RunListener listener) {
    // the longest runs first, so that the last to finish is not a long one started late
    List<String> order = new ArrayList<>(runs.keySet());
    order.sort(Comparator.comparingDouble((String k) -> -work(runs.get(k))));
    List<ExperimentRun> experiments = new ArrayList<>();
    for (String key : order) {
      experiments.add(new ExperimentRun(key, Map.of("run", key), runs.get(key).values()));
    }
    Map<String, ServingResult> byKey = new ConcurrentHashMap<>();
    new LocalExecutor(Math.max(1, jobs), Simulator.serving((run, r) -> byKey.put(run.id(), r)))
        .execute(experiments, listener);
    Map<String, ServingResult> out = new LinkedHashMap<>();
    runs.keySet().forEach(key -> out.put(key, byKey.get(key)));
    return out;
  }
}
