package io.duplexsim.units.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.nearmemory.SoftmaxUnitConfig;
import io.duplexsim.units.xpu.XpuConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The registry of named device presets ({@code gpu}, {@code duplex}, ...), from the bundled devices.yaml. */
public final class Devices {
  private static final String RESOURCE = "/io/duplexsim/units/devices.yaml";
  private static final Set<String> PRESET_KEYS = Set.of("description", "source", "memory", "units");
  private static final Set<String> MEMORY_KEYS = Set.of("standard", "stacks", "mapping", "timing");
  private static final Set<String> XPU_KEYS = Set.of("peakTflopsBf16", "sms", "arraysPerSm", "arrayRows", "arrayCols",
      "clockMHz", "tile", "smemStages", "l2MB", "l2GBps", "smLoadBytesPerCycle", "l2LatencyCycles", "sectorBytes");
  private static final Set<String> PIM_KEYS = Set.of("macsPerCycle", "clockMHz", "bufferBytes", "softmax");
  private static final Set<String> SOFTMAX_KEYS = Set.of("elementsPerCycle", "clockMHz");
  private static volatile JsonNode root;

  private Devices() {}

  /** Names of the bundled presets, in file order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    root().fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Loads a preset; InputException naming the choices if there is none called {@code name}. */
  public static DevicePreset load(String name) {
    JsonNode p = name == null ? null : root().get(name);
    if (p == null) {
      throw new InputException("unknown device '" + name + "'; expected one of " + names());
    }
    checkKeys(name, p, PRESET_KEYS);
    JsonNode memory = required(name, p, "memory");
    JsonNode units = required(name, p, "units");
    List<String> unitNames = new ArrayList<>();
    XpuConfig xpu = null;
    Map<String, DevicePreset.Pim> pims = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = units.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String unit = e.getKey();
      String where = name + ".units." + unit;
      JsonNode u = e.getValue();
      if (!DevicePreset.UNIT_NAMES.contains(unit)) {
        throw new IllegalStateException("devices.yaml: " + where + ": unknown unit; expected one of "
            + DevicePreset.UNIT_NAMES);
      }
      unitNames.add(unit);
      if (unit.equals("xpu")) {
        checkKeys(where, u, XPU_KEYS);
        xpu = xpu(where, u);
      } else {
        checkKeys(where, u, PIM_KEYS);
        JsonNode softmax = required(where, u, "softmax");
        checkKeys(where + ".softmax", softmax, SOFTMAX_KEYS);
        pims.put(unit, new DevicePreset.Pim((int) positive(where, u, "macsPerCycle"),
            (int) positive(where, u, "clockMHz"), (int) positive(where, u, "bufferBytes"),
            new SoftmaxUnitConfig((int) positive(where + ".softmax", softmax, "elementsPerCycle"),
                (int) positive(where + ".softmax", softmax, "clockMHz"))));
      }
    }
    if (unitNames.isEmpty()) {
      throw new IllegalStateException("devices.yaml: " + name + ": no units");
    }
    checkKeys(name + ".memory", memory, MEMORY_KEYS);
    JsonNode mapping = memory.get("mapping");
    Map<String, Number> timing = new LinkedHashMap<>();
    JsonNode t = memory.get("timing");
    if (t != null) {
      if (!t.isObject()) {
        throw new IllegalStateException("devices.yaml: " + name + ".memory.timing must be a map of timings in cycles");
      }
      t.fields().forEachRemaining(e -> timing.put(e.getKey(), positive(name + ".memory.timing", t, e.getKey())));
    }
    return new DevicePreset(name, required(name, p, "description").asText(), required(name, p, "source").asText(),
        required(name + ".memory", memory, "standard").asText(), (int) positive(name + ".memory", memory, "stacks"),
        mapping == null ? MemoryConfig.builder("HBM3-5.2").build().mapping() : mapping.asText(), timing, unitNames,
        xpu, pims);
  }

  /** The xPU's geometry; the stated BF16 peak must be what that geometry computes. */
  private static XpuConfig xpu(String where, JsonNode u) {
    JsonNode tile = required(where, u, "tile");
    if (!tile.isArray() || tile.size() != 3) {
      throw new IllegalStateException("devices.yaml: " + where + ".tile must be [M, N, K], got " + tile);
    }
    XpuConfig x;
    try {
      x = new XpuConfig((int) positive(where, u, "sms"), (int) positive(where, u, "arraysPerSm"),
          (int) positive(where, u, "arrayRows"), (int) positive(where, u, "arrayCols"),
          (int) positive(where, u, "clockMHz"), tile.get(0).asInt(), tile.get(1).asInt(), tile.get(2).asInt(),
          (int) positive(where, u, "smemStages"), positive(where, u, "l2MB"), positive(where, u, "l2GBps"),
          (int) positive(where, u, "smLoadBytesPerCycle"), (int) positive(where, u, "l2LatencyCycles"),
          (int) positive(where, u, "sectorBytes"));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("devices.yaml: " + where + ": " + e.getMessage(), e);
    }
    double stated = positive(where, u, "peakTflopsBf16");
    if (Math.abs(x.peakTflops(false) - stated) > 0.001 * stated) {
      throw new IllegalStateException("devices.yaml: " + where + ".peakTflopsBf16 is " + stated
          + " but sms x arraysPerSm x arrayRows x arrayCols x 2 x clock gives " + x.peakTflops(false));
    }
    return x;
  }

  private static JsonNode required(String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw new IllegalStateException("devices.yaml: " + where + ": missing '" + key + "'");
    }
    return v;
  }

  private static double positive(String where, JsonNode node, String key) {
    JsonNode v = required(where, node, key);
    if (!v.isNumber() || !(v.asDouble() > 0)) {
      throw new IllegalStateException("devices.yaml: " + where + "." + key + " must be a positive number, got " + v);
    }
    return v.asDouble();
  }

  private static void checkKeys(String where, JsonNode node, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      throw new IllegalStateException("devices.yaml: " + where + " must be a map");
    }
    node.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        throw new IllegalStateException("devices.yaml: " + where + ": unknown key '" + k + "'; expected one of "
            + allowed);
      }
    });
  }

  private static JsonNode root() {
    JsonNode r = root;
    if (r == null) {
      try (InputStream in = Devices.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing bundled resource " + RESOURCE);
        }
        r = new ObjectMapper(new YAMLFactory()).readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      root = r;
    }
    return r;
  }
}
