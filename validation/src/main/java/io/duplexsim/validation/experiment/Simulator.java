package io.duplexsim.validation.experiment;

import io.duplexsim.validation.run.Scenario;
import io.duplexsim.validation.run.ScenarioRunner;
import io.duplexsim.validation.run.WeightFormats;
import io.duplexsim.workloads.serving.ServingResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** Turns one run into its result. Must be safe to call from several threads at once on different runs. */
@FunctionalInterface
public interface Simulator {
  RunResult simulate(ExperimentRun run);

  /** The serving simulation of {@link ScenarioRunner}: the run's scenario served at its fidelity. */
  Simulator SERVING = serving((run, result) -> { });

  /** As {@link #SERVING}, also handing each run's full {@link ServingResult} to {@code keep}. */
  static Simulator serving(BiConsumer<ExperimentRun, ServingResult> keep) {
    return run -> {
      Scenario s = run.scenario();
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      ServingResult result = ScenarioRunner.run(s, WeightFormats.parse("weight-format", s.weightFormat()));
      double wall = (System.nanoTime() - start) / 1e9;
      // The run's own CPU time (it runs on one thread): unlike wall time, not inflated by other load.
      double cpu = cpuStart < 0 ? Double.NaN : (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
      keep.accept(run, result);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("system", s.system());
      m.put("model", s.model());
      m.put("devices", ScenarioRunner.system(s).system().devices());
      m.putAll(result.toJson());
      m.put("wall_s", wall);
      m.put("cpu_s", cpu);
      return new RunResult(run, m);
    };
  }
}
