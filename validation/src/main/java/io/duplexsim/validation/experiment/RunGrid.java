package io.duplexsim.validation.experiment;

import io.duplexsim.sim.InputException;
import io.duplexsim.validation.run.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cross product of axes over a base scenario: every combination of levels, the first axis varying
 * slowest. A level's settings override the base; later axes override earlier ones.
 *
 * @param base scenario key to value (defaults filled in by {@link #of})
 * @param axes the dimensions, in order
 */
public record RunGrid(Map<String, String> base, List<Axis> axes) {

  public RunGrid {
    base = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(base));
    axes = List.copyOf(axes);
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Axis a : axes) {
      if (!names.add(a.name())) {
        throw new InputException("axis '" + a.name() + "' is given twice");
      }
      for (Axis.Level l : a.levels()) {
        for (String key : l.settings().keySet()) {
          if (!Scenario.KEYS.contains(key)) {
            throw new InputException(a.name() + ": '" + key + "' is not a scenario key; expected one of "
                + Scenario.KEYS);
          }
        }
      }
    }
  }

  /** A grid over the scenario defaults overridden by {@code overrides}. */
  public static RunGrid of(Map<String, String> overrides, List<Axis> axes) {
    Map<String, String> b = Scenario.defaults();
    b.putAll(overrides);
    return new RunGrid(b, axes);
  }

  /** Axis name to level labels, in order (what results.json keeps to draw charts in the same order). */
  public Map<String, List<String>> levels() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (Axis a : axes) {
      m.put(a.name(), a.labels());
    }
    return m;
  }

  /** Every point, the first axis slowest. */
  public List<ExperimentRun> runs() {
    List<ExperimentRun> runs = new ArrayList<>();
    int[] index = new int[axes.size()];
    long total = 1;
    for (Axis a : axes) {
      total *= a.levels().size();
    }
    for (long n = 0; n < total; n++) {
      Map<String, String> labels = new LinkedHashMap<>();
      Map<String, String> config = new LinkedHashMap<>(base);
      StringBuilder id = new StringBuilder();
      for (int i = 0; i < axes.size(); i++) {
        Axis.Level l = axes.get(i).levels().get(index[i]);
        labels.put(axes.get(i).name(), l.label());
        config.putAll(l.settings());
        id.append(i == 0 ? "" : ",").append(axes.get(i).name()).append('=').append(l.label());
      }
      runs.add(new ExperimentRun(axes.isEmpty() ? "run" : id.toString(), labels, config));
      for (int i = axes.size() - 1; i >= 0; i--) {
        if (++index[i] < axes.get(i).levels().size()) {
          break;
        }
        index[i] = 0;
      }
    }
    return runs;
  }
}
