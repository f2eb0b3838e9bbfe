package io.duplexsim.units.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.nearmemory.SoftmaxUnitConfig;
import io.duplexsim.units.BundledYaml;
import io.duplexsim.units.xpu.XpuConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The registry of named device presets ({@code gpu}, {@code duplex}, ...), from the bundled devices.yaml. */
public final class Devices {
  private static final BundledYaml FILE = new BundledYaml("/io/duplexsim/units/devices.yaml");
  private static final Set<String> PRESET_KEYS = Set.of("description", "source", "memory", "units");
  private static final Set<String> MEMORY_KEYS =
      Set.of("standard", "stacks", "mapping", "timing", "tsvXpuWidth", "tsvPimWidth");
  private static final Set<String> XPU_KEYS = Set.of("peakTflopsBf16", "sms", "arraysPerSm", "arrayRows", "arrayCols",
      "clockMHz", "tile", "smemStages", "l2MB", "l2GBps", "smLoadBytesPerCycle", "l2LatencyCycles", "sectorBytes");
  private static final Set<String> PIM_KEYS = Set.of("macsPerCycle", "clockMHz", "bufferBytes", "softmax");
  private static final Set<String> SOFTMAX_KEYS = Set.of("elementsPerCycle", "clockMHz");

  private Devices() {}

  /** Names of the bundled presets, in file order. */
  public static List<String> names() {
    return FILE.names();
  }

  /** Loads a preset; InputException naming the choices if there is none called {@code name}. */
  public static DevicePreset load(String name) {
    return parse(name, name, FILE.preset("device", name, PRESET_KEYS), true);
  }

  /**
   * Loads a preset with hardware parameters changed: {@code overrides} maps dotted paths into the
   * preset's data (see {@link DeviceOverrides}) to values. The result is validated as a bundled preset
   * is; an unknown path or a bad value is an InputException naming the path. The xPU's stated peak
   * follows its geometry unless {@code xpu.peakTflopsBf16} itself is overridden.
   */
  public static DevicePreset load(String name, Map<String, String> overrides) {
    if (overrides.isEmpty()) {
      return load(name);
    }
    JsonNode p = FILE.preset("device", name, PRESET_KEYS).deepCopy();
    boolean statedPeak = DeviceOverrides.apply(name, (ObjectNode) p, overrides);
    DevicePreset d;
    try {
      d = parse(name + DeviceOverrides.suffix(overrides), name, p, statedPeak);
    } catch (IllegalStateException e) {
      // The bundled preset itself is valid, so what is wrong is an overridden value.
      throw new InputException("device overrides " + overrides + ": " + e.getMessage(), e);
    }
    try {
      MemorySystem.standardOf(d.memoryConfig()); // an unknown standard or timing fails now, not mid-run
    } catch (InputException e) {
      throw new InputException("device overrides " + overrides + ": " + e.getMessage(), e);
    }
    return d;
  }

  private static DevicePreset parse(String label, String name, JsonNode p, boolean checkStatedPeak) {
    JsonNode memory = FILE.required(name, p, "memory");
    JsonNode units = FILE.required(name, p, "units");
    List<String> unitNames = new ArrayList<>();
    XpuConfig xpu = null;
    Map<String, DevicePreset.Pim> pims = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = units.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String unit = e.getKey();
      String where = name + ".units." + unit;
      JsonNode u = e.getValue();
      if (!DevicePreset.UNIT_NAMES.contains(unit)) {
        throw FILE.bad(where + ": unknown unit; expected one of "
            + DevicePreset.UNIT_NAMES);
      }
      unitNames.add(unit);
      if (unit.equals("xpu")) {
        FILE.checkKeys(where, u, XPU_KEYS);
        xpu = xpu(where, u, checkStatedPeak);
      } else {
        FILE.checkKeys(where, u, PIM_KEYS);
        JsonNode softmax = FILE.required(where, u, "softmax");
        FILE.checkKeys(where + ".softmax", softmax, SOFTMAX_KEYS);
        pims.put(unit, new DevicePreset.Pim((int) FILE.positive(where, u, "macsPerCycle"),
            (int) FILE.positive(where, u, "clockMHz"), (int) FILE.positive(where, u, "bufferBytes"),
            new SoftmaxUnitConfig((int) FILE.positive(where + ".softmax", softmax, "elementsPerCycle"),
                (int) FILE.positive(where + ".softmax", softmax, "clockMHz"))));
      }
    }
    if (unitNames.isEmpty()) {
      throw FILE.bad(name + ": no units");
    }
    FILE.checkKeys(name + ".memory", memory, MEMORY_KEYS);
    JsonNode mapping = memory.get("mapping");
    Map<String, Number> timing = new LinkedHashMap<>();
    JsonNode t = memory.get("timing");
    if (t != null) {
      if (!t.isObject()) {
        throw FILE.bad(name + ".memory.timing must be a map of timings in cycles");
      }
      t.fields().forEachRemaining(e -> timing.put(e.getKey(), FILE.positive(name + ".memory.timing", t, e.getKey())));
    }
    return new DevicePreset(label, FILE.required(name, p, "description").asText(), FILE.required(name, p, "source").asText(),
        FILE.required(name + ".memory", memory, "standard").asText(), (int) FILE.positive(name + ".memory", memory, "stacks"),
        mapping == null ? MemoryConfig.builder("HBM3-5.2").build().mapping() : mapping.asText(), timing, unitNames,
        xpu, pims, tsvWidth(name, memory, "tsvXpuWidth", 1), tsvWidth(name, memory, "tsvPimWidth", 4));
  }

  /** A TSV channel width in multiples of the pseudo-channel's pins; MemoryConfig's default if absent. */
  private static double tsvWidth(String name, JsonNode memory, String key, double absent) {
    return memory.has(key) ? FILE.positive(name + ".memory", memory, key) : absent;
  }

  /** The xPU's geometry; the stated BF16 peak must be what that geometry computes. */
  private static XpuConfig xpu(String where, JsonNode u, boolean checkStatedPeak) {
    JsonNode tile = FILE.required(where, u, "tile");
    if (!tile.isArray() || tile.size() != 3) {
      throw FILE.bad(where + ".tile must be [M, N, K], got " + tile);
    }
    XpuConfig x;
    try {
      x = new XpuConfig((int) FILE.positive(where, u, "sms"), (int) FILE.positive(where, u, "arraysPerSm"),
          (int) FILE.positive(where, u, "arrayRows"), (int) FILE.positive(where, u, "arrayCols"),
          (int) FILE.positive(where, u, "clockMHz"), tile.get(0).asInt(), tile.get(1).asInt(), tile.get(2).asInt(),
          (int) FILE.positive(where, u, "smemStages"), FILE.positive(where, u, "l2MB"), FILE.positive(where, u, "l2GBps"),
          (int) FILE.positive(where, u, "smLoadBytesPerCycle"), (int) FILE.positive(where, u, "l2LatencyCycles"),
          (int) FILE.positive(where, u, "sectorBytes"));
    } catch (IllegalArgumentException e) {
      throw FILE.bad(where + ": " + e.getMessage(), e);
    }
    double stated = FILE.positive(where, u, "peakTflopsBf16");
    if (checkStatedPeak && Math.abs(x.peakTflops(false) - stated) > 0.001 * stated) {
      throw FILE.bad(where + ".peakTflopsBf16 is " + stated
          + " but sms x arraysPerSm x arrayRows x arrayCols x 2 x clock gives " + x.peakTflops(false));
    }
    return x;
  }
}
