package io.duplexsim.validation.experiment;

import io.duplexsim.validation.run.Scenario;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of an experiment: its id, the level it takes on each axis, and the complete scenario it runs
 * (every scenario key as text, defaults included), so the run can be repeated from its record alone or
 * shipped to another machine.
 *
 * @param id unique within the grid and stable across invocations ({@code system=gpu,batch=32,...})
 * @param axes axis name to level label, in axis order
 * @param config scenario key to value
 */
public record ExperimentRun(String id, Map<String, String> axes, Map<String, String> config) {
  public ExperimentRun {
    axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  /** The typed scenario; InputException naming the key on a bad value. */
  public Scenario scenario() {
    return Scenario.of(config);
  }

  /** A short human label: the axis levels joined ({@code gpu 32 256:256}). */
  public String label() {
    return String.join(" ", axes.values());
  }
}
