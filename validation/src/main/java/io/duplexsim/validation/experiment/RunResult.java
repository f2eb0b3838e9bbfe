package io.duplexsim.validation.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run produced: the run (axes and complete config) and its metrics as the command line prints
 * them ({@code ServingResult.toJson()} plus {@code system}, {@code model}, {@code devices}, {@code wall_s}
 * and {@code cpu_s}, the run's thread CPU time). Metrics are kept as a JSON-like map (numbers, strings,
 * nested maps of numbers) so a result reads back from results.json unchanged.
 */
public record RunResult(ExperimentRun run, Map<String, Object> metrics) {
  public RunResult {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** A numeric metric; NaN when the run has none by that name. */
  public double number(String key) {
    return metrics.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** A nested map of numbers ({@code energy_breakdown}, {@code unit_utilization}); empty when absent. */
  public Map<String, Double> group(String key) {
    Map<String, Double> m = new TreeMap<>();
    if (metrics.get(key) instanceof Map<?, ?> g) {
      g.forEach((k, v) -> {
        if (v instanceof Number n) {
          m.put(String.valueOf(k), n.doubleValue());
        }
      });
    }
    return m;
  }

  /** The fidelity the run was priced at. */
  public String fidelity() {
    return String.valueOf(metrics.getOrDefault("fidelity", run.config().get("fidelity")));
  }
}
