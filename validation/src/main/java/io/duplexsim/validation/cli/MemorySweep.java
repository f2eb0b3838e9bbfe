package io.duplexsim.validation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duplexsim.memory.MemoryResult;
import io.duplexsim.memory.MemorySimulation;
import io.duplexsim.sim.InputException;
import io.duplexsim.validation.sweep.SweepPlan;
import io.duplexsim.validation.sweep.SweepPoint;
import io.duplexsim.validation.sweep.SweepSpec;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep of memory simulations: a base memory configuration (a config file of {@code duplexsim memory},
 * or a map of its keys) and the keys to vary, {@code org.}, {@code timing.} and {@code energy.} overrides
 * included. Each run is {@code duplexsim memory --json} with the run's settings.
 *
 * <pre>
 * memory:                       # or: memory: random.yaml
 *   pattern: random
 *   requests: 200000
 * vary:
 *   mapping: [RoRaBaCoBgCh, RoBaRaCoCh]
 *   page-policy: [open, closed]
 *   timing.nRCDRD: [19, 24]
 * </pre>
 */
final class MemorySweep implements SweepPlan {
  /** The key that makes a sweep file a memory sweep (a serving sweep has {@code base}). */
  static final String KEY = "memory";
  private static final Set<String> TOP_KEYS = Set.of(KEY, "vary");
  /** Override maps, whose entries a sweep names {@code timing.nRCDRD}. */
  private static final Set<String> NESTED = Set.of("org", "timing", "energy");
  /** Keys that say what to print or write, not what to simulate; a sweep records every run's figures itself. */
  private static final Set<String> OUTPUT_KEYS = Set.copyOf(MemoryReportOptions.KEYS);

  private final Path file;
  private final Map<String, String> base;
  private final Map<String, List<String>> vary;

  private MemorySweep(Path file, Map<String, String> base, Map<String, List<String>> vary) {
    this.file = file;
    this.base = base;
    this.vary = vary;
  }

  static boolean isMemorySweep(JsonNode root) {
    return root != null && root.isObject() && root.has(KEY);
  }

  /** Reads and checks a memory sweep (every run's settings); InputException naming the file, key or run. */
  static MemorySweep read(Path file, JsonNode root) {
    root.fieldNames().forEachRemaining(k -> {
      if (!TOP_KEYS.contains(k)) {
        throw new InputException(file + ": unknown key '" + k + "'; a memory sweep has " + TOP_KEYS);
      }
    });
    Map<String, String> base = new LinkedHashMap<>();
    JsonNode m = root.get(KEY);
    if (m.isTextual()) {
      Path config = file.toAbsolutePath().getParent().resolve(m.asText());
      flatten(file, KEY, MemorySettings.readTree(config), "", base);
      String trace = base.get("trace");
      if (trace != null && !trace.contains(":") && !Path.of(trace).isAbsolute()) {
        // a config file's trace is relative to that file, as `memory --config` reads it
        base.put("trace", config.toAbsolutePath().getParent().resolve(trace).normalize().toString());
      }
    } else if (m.isObject()) {
      flatten(file, KEY, m, "", base);
    } else {
      throw new InputException(file + ": memory must be a memory config file name or a map of its keys, got " + m);
    }
    JsonNode v = root.get("vary");
    if (v == null || !v.isObject() || v.isEmpty()) {
      throw new InputException(file + ": vary must be a non-empty map of key -> list of values");
    }
    Map<String, List<String>> vary = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = "vary." + e.getKey();
      String key = key(file, where, e.getKey());
      if (vary.put(key, SweepSpec.varyValues(file, where, e.getValue())) != null) {
        throw new InputException(file + ": " + where + ": key '" + key + "' is varied twice");
      }
    }
    MemorySweep sweep = new MemorySweep(file, base, vary);
    for (SweepPoint p : sweep.points()) {
      try {
        MemoryCommand.check(sweep.settings(p));
      } catch (InputException e) {
        throw new InputException(file + ": run " + p.label() + ": " + e.getMessage(), e);
      }
    }
    return sweep;
  }

  @Override
  public Path file() {
    return file;
  }

  @Override
  public List<SweepPoint> points() {
    return SweepPoint.crossProduct(vary);
  }

  /** The run's memory settings: the base with the point's keys set ({@code timing.nRCDRD} style for overrides). */
  @Override
  public Map<String, String> scenarioValues(SweepPoint point) {
    Map<String, String> values = new LinkedHashMap<>(base);
    values.putAll(point.params());
    return values;
  }

  /** One run: the figures `duplexsim memory --json` prints, less the wall-clock ones (the sweep keeps its own). */
  Map<String, Object> runOne(SweepPoint point, Map<String, String> values) {
    MemoryCommand.Prepared p = MemoryCommand.prepare(settings(values, point));
    MemoryResult result = MemorySimulation.run(p.config(), p.trace(), p.threads());
    Map<String, Object> m = result.toMap();
    m.remove("wall_s");
    m.remove("sim_cycles_per_s");
    return m;
  }

  private MemorySettings settings(SweepPoint point) {
    return settings(scenarioValues(point), point);
  }

  private MemorySettings settings(Map<String, String> values, SweepPoint point) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    values.forEach((k, v) -> {
      int dot = k.indexOf('.');
      ObjectNode into = dot < 0 ? root : root.with(k.substring(0, dot));
      into.set(dot < 0 ? k : k.substring(dot + 1), typed(v));
    });
    return MemorySettings.fromNode(root, file + ": run " + point.label(), file.toAbsolutePath().getParent());
  }

  /** A value as the config file would have typed it: a whole number, a decimal, a boolean, or text. */
  private static JsonNode typed(String v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v.matches("-?[0-9]+")) {
      try {
        return f.numberNode(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return f.textNode(v);
      }
    }
    if (v.matches("-?[0-9]*\\.[0-9]+([eE][-+]?[0-9]+)?")) {
      return f.numberNode(Double.parseDouble(v));
    }
    if (v.equals("true") || v.equals("false")) {
      return f.booleanNode(Boolean.parseBoolean(v));
    }
    return f.textNode(v);
  }

  /** The base's keys, overrides as {@code timing.nRCDRD}; InputException on lists, unknown keys or output keys. */
  private static void flatten(Path file, String where, JsonNode node, String prefix, Map<String, String> out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    if (!node.isObject()) {
      throw new InputException(file + ": " + where + " must be a map of memory config keys, got " + node);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String here = where + "." + e.getKey();
      if (prefix.isEmpty() && NESTED.contains(e.getKey().trim())) {
        flatten(file, here, e.getValue(), e.getKey().trim() + ".", out);
      } else if (e.getValue().isValueNode() && !e.getValue().isNull()) {
        out.put(prefix.isEmpty() ? key(file, here, e.getKey()) : prefix + e.getKey().trim(), e.getValue().asText());
      } else {
        throw new InputException(file + ": " + here + " must be a single value, got " + e.getValue());
      }
    }
  }

  /** A memory config key in its '-' spelling, or {@code org.X}, {@code timing.X}, {@code energy.X}. */
  private static String key(Path file, String where, String raw) {
    String k = raw.trim().replace('_', '-');
    int dot = k.indexOf('.');
    if (dot > 0 && NESTED.contains(k.substring(0, dot)) && dot < k.length() - 1) {
      return k.substring(0, dot) + "." + raw.trim().substring(dot + 1);
    }
    if (OUTPUT_KEYS.contains(k)) {
      throw new InputException(file + ": " + where + ": '" + raw + "' says what to print, not what to simulate; a "
          + "sweep records every run's figures in sweep.jsonl and sweep.csv");
    }
    if (!MemorySettings.keys().contains(k) || k.equals("config")) {
      List<String> known = MemorySettings.keys().stream()
          .filter(x -> !OUTPUT_KEYS.contains(x) && !NESTED.contains(x) && !x.equals("config")).toList();
      throw new InputException(file + ": " + where + ": unknown memory key '" + raw + "'; expected one of " + known
          + " or org.X, timing.X, energy.X");
    }
    return k;
  }
}
