package io.duplexsim.validation.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.sim.InputException;
import io.duplexsim.validation.run.Scenario;
import io.duplexsim.validation.run.ScenarioRunner;
import io.duplexsim.workloads.model.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep file: a base scenario and the fields to vary; the runs are the cross product of the varied
 * values (the first field varies slowest). A field is a scenario key ({@code max-num-seqs},
 * {@code system}, {@code weight-format}, a policy's key) or a hardware parameter of the system's device
 * preset, {@code device.PATH} with a path of {@link io.duplexsim.units.device.DeviceOverrides}
 * ({@code device.pim.macs}, {@code device.standard}, {@code device.stacks}, {@code device.tsvPimWidth}).
 *
 * <pre>
 * base:                            # a scenario file name, or a map of scenario keys (and device.PATH
 *   file: ../mixtral-duplex.yaml    #   values) that may start from a scenario file (relative to this one)
 *   fidelity: roofline
 * vary:
 *   device.pim.macs: [256, 512, 1024]
 *   device.standard: [HBM3-5.2, HBM3-6.4]
 * </pre>
 *
 * @param file the sweep file (named in every error)
 * @param base the base scenario's values (defaults, its file, its keys)
 * @param baseDevice hardware overrides the base itself gives ({@code device.*} keys in a base map)
 * @param vary each varied field's values, in file order
 */
public record SweepSpec(Path file, Map<String, String> base, Map<String, String> baseDevice,
    Map<String, List<String>> vary) implements SweepPlan {
  /** The prefix of a hardware field. */
  public static final String DEVICE = "device.";
  private static final Set<String> TOP_KEYS = Set.of("base", "vary");

  public SweepSpec {
    base = Collections.unmodifiableMap(new LinkedHashMap<>(base));
    baseDevice = Collections.unmodifiableMap(new LinkedHashMap<>(baseDevice));
    Map<String, List<String>> v = new LinkedHashMap<>();
    vary.forEach((k, values) -> v.put(k, List.copyOf(values)));
    vary = Collections.unmodifiableMap(v);
  }

  /** Reads and checks a sweep file; InputException naming the file and key on anything wrong. */
  public static SweepSpec read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new InputException(file + ": cannot read sweep (" + firstLine(e.getMessage()) + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new InputException(file + ": a sweep file must be a map with keys " + TOP_KEYS);
    }
    root.fieldNames().forEachRemaining(k -> {
      if (!TOP_KEYS.contains(k)) {
        throw new InputException(file + ": unknown key '" + k + "'; expected " + TOP_KEYS);
      }
    });
    Map<String, String> base = Scenario.defaults();
    Map<String, String> baseDevice = new LinkedHashMap<>();
    JsonNode b = root.get("base");
    if (b != null && b.isTextual()) {
      base.putAll(Scenario.readFile(scenarioFile(file, "base", b.asText())));
    } else if (b != null && b.isObject()) {
      if (b.has("file")) {
        if (!b.get("file").isTextual()) {
          throw new InputException(file + ": base.file must be a scenario file name, got " + b.get("file"));
        }
        base.putAll(Scenario.readFile(scenarioFile(file, "base.file", b.get("file").asText())));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("file")) {
          continue;
        }
        if (!e.getValue().isValueNode()) {
          throw new InputException(file + ": base." + e.getKey() + " must be a single value, got " + e.getValue());
        }
        String text = e.getValue().asText();
        if (e.getKey().startsWith(DEVICE)) {
          baseDevice.put(devicePath(file, "base." + e.getKey()), text);
        } else {
          base.put(scenarioKey(file, "base." + e.getKey(), e.getKey()), text);
        }
      }
    } else if (b != null && !b.isNull()) {
      throw new InputException(file + ": base must be a scenario file name or a map of scenario keys, got " + b);
    }
    JsonNode v = root.get("vary");
    if (v == null || !v.isObject() || v.isEmpty()) {
      throw new InputException(file + ": vary must be a non-empty map of field -> list of values");
    }
    Map<String, List<String>> vary = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = "vary." + e.getKey();
      String field = e.getKey().startsWith(DEVICE)
          ? DEVICE + devicePath(file, where)
          : scenarioKey(file, where, e.getKey());
      if (field.equals(HardwareOverrides.KEY)) {
        throw new InputException(file + ": " + where + ": vary device.PATH fields one by one instead");
      }
      List<String> values = varyValues(file, where, e.getValue());
      if (vary.put(field, values) != null) {
        throw new InputException(file + ": " + where + ": field '" + field + "' is varied twice");
      }
    }
    SweepSpec spec = new SweepSpec(file, base, baseDevice, vary);
    spec.points().forEach(spec::check);
    return spec;
  }

  /** A varied field's values: a non-empty list of single values, none twice; InputException naming {@code where}. */
  public static List<String> varyValues(Path file, String where, JsonNode list) {
    if (!list.isArray() || list.isEmpty()) {
      throw new InputException(file + ": " + where + " must be a non-empty list of values, got " + list);
    }
    List<String> values = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode x : list) {
      if (!x.isValueNode() || x.isNull()) {
        throw new InputException(file + ": " + where + ": each value must be a single value, got " + x);
      }
      if (!seen.add(x.asText())) {
        throw new InputException(file + ": " + where + ": value " + x.asText() + " is listed twice");
      }
      values.add(x.asText());
    }
    return values;
  }

  /** Every run of the sweep: the cross product of the varied values, the last field varying fastest. */
  @Override
  public List<SweepPoint> points() {
    return SweepPoint.crossProduct(vary);
  }

  /** The scenario values of {@code point}: the base with the point's fields set. */
  @Override
  public Map<String, String> scenarioValues(SweepPoint point) {
    Map<String, String> values = new LinkedHashMap<>(base);
    Map<String, String> device = new LinkedHashMap<>(HardwareOverrides.parse(values.get(HardwareOverrides.KEY)));
    device.putAll(baseDevice);
    point.params().forEach((field, value) -> {
      if (field.startsWith(DEVICE)) {
        device.put(field.substring(DEVICE.length()), value);
      } else {
        values.put(field, value);
      }
    });
    values.put(HardwareOverrides.KEY, HardwareOverrides.format(device));
    return values;
  }

  /** The scenario of {@code point}; InputException naming the sweep file and the point's fields. */
  public Scenario scenario(SweepPoint point) {
    try {
      return Scenario.of(scenarioValues(point));
    } catch (InputException e) {
      throw new InputException(file + ": run " + point.label() + ": " + e.getMessage(), e);
    }
  }

  /** Checks a point before anything runs: its values, system, hardware overrides and model. */
  private void check(SweepPoint point) {
    Scenario s = scenario(point);
    try {
      ScenarioRunner.system(s);
      Models.load(s.model()).requireCompilable();
      if (!ScenarioRunner.FIDELITIES.contains(s.fidelity())) {
        throw new InputException("fidelity: unknown '" + s.fidelity() + "'; expected one of "
            + ScenarioRunner.FIDELITIES);
      }
    } catch (InputException e) {
      throw new InputException(file + ": run " + point.label() + ": " + e.getMessage(), e);
    }
  }

  private static Path scenarioFile(Path file, String where, String name) {
    Path scenario = file.toAbsolutePath().getParent().resolve(name);
    if (!Files.isRegularFile(scenario)) {
      throw new InputException(file + ": " + where + ": scenario file " + scenario + " does not exist");
    }
    return scenario;
  }

  private static String scenarioKey(Path file, String where, String key) {
    String k = Scenario.canonical(key);
    if (!Scenario.KEYS.contains(k)) {
      throw new InputException(file + ": " + where + ": unknown field '" + key + "'; expected a scenario key "
          + Scenario.KEYS + " or device.PATH (a hardware parameter, e.g. device.pim.macs)");
    }
    return k;
  }

  private static String devicePath(Path file, String where) {
    String path = where.substring(where.indexOf(DEVICE) + DEVICE.length());
    if (path.isEmpty() || path.contains(",") || path.contains("=")) {
      throw new InputException(file + ": " + where + ": expected device.PATH, e.g. device.pim.macs");
    }
    return path;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
