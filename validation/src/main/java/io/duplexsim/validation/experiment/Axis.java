package io.duplexsim.validation.experiment;

import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One dimension of an experiment grid: a name (a column of results.csv, such as {@code system} or
 * {@code batch}) and its levels in order. A level has a label and the scenario keys it sets; a level may
 * set several keys (the {@code lengths} level {@code 1024:256} sets {@code input-len} and
 * {@code output-len}).
 */
public record Axis(String name, List<Level> levels) {

  /** One value of an axis: its label and the scenario keys it sets. */
  public record Level(String label, Map<String, String> settings) {
    public Level {
      settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
  }

  public Axis {
    levels = List.copyOf(levels);
    if (levels.isEmpty()) {
      throw new InputException(name + ": expected at least one value");
    }
    Set<String> seen = new HashSet<>();
    for (Level l : levels) {
      if (!seen.add(l.label())) {
        throw new InputException(name + ": '" + l.label() + "' is listed twice");
      }
    }
  }

  /** An axis over one scenario key, each value its own label. */
  public static Axis of(String key, List<String> values) {
    List<Level> levels = new ArrayList<>();
    for (String v : values) {
      levels.add(new Level(v, Map.of(key, v)));
    }
    return new Axis(key, levels);
  }

  /** The level labels in order. */
  public List<String> labels() {
    return levels.stream().map(Level::label).toList();
  }
}
