package io.duplexsim.units.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Hardware parameters changed on a device preset, as dotted paths into its devices.yaml entry: the
 * full path ({@code units.logic-pim.macsPerCycle}, {@code memory.standard}) or a short form. Short
 * forms: {@code pim.*} is the device's near-memory unit (logic-pim, bank-pim or bankgroup-pim),
 * {@code xpu.*} its xPU, a memory key alone ({@code standard}, {@code stacks}, {@code tsvPimWidth},
 * {@code timing.nCCDAB}) is under {@code memory}, and {@code macs} is {@code macsPerCycle}. A path must
 * name a parameter the preset has, except the optional memory keys (TSV widths, timing overrides).
 */
public final class DeviceOverrides {
  /** Memory keys a path may add although the preset does not state them. */
  private static final Set<String> OPTIONAL_MEMORY_KEYS = Set.of("tsvXpuWidth", "tsvPimWidth", "timing", "mapping");
  private static final Set<String> MEMORY_KEYS = Set.of("standard", "stacks", "mapping", "timing", "tsvXpuWidth",
      "tsvPimWidth");

  private DeviceOverrides() {}

  /**
   * Writes every override into {@code preset} (the device's YAML tree); InputException naming the path if
   * it names no parameter. Returns whether the xPU's stated peak is still to be checked (false once an
   * xPU parameter changed and the peak itself did not).
   */
  static boolean apply(String device, ObjectNode preset, Map<String, String> overrides) {
    boolean xpuChanged = false;
    boolean peakGiven = false;
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      List<String> path = resolve(device, preset, e.getKey());
      ObjectNode parent = preset;
      for (int i = 0; i < path.size() - 1; i++) {
        String seg = path.get(i);
        JsonNode child = parent.get(seg);
        if (child == null && i == 1 && path.get(0).equals("memory") && seg.equals("timing")) {
          child = parent.putObject("timing");
        }
        if (!(child instanceof ObjectNode o)) {
          throw unknown(device, e.getKey(), parent);
        }
        parent = o;
      }
      String leaf = path.get(path.size() - 1);
      JsonNode old = parent.get(leaf);
      boolean optional = path.size() == 2 && path.get(0).equals("memory") && OPTIONAL_MEMORY_KEYS.contains(leaf)
          || path.size() == 3 && path.get(0).equals("memory") && path.get(1).equals("timing");
      if (old == null && !optional) {
        throw unknown(device, e.getKey(), parent);
      }
      if (old != null && !old.isValueNode()) {
        throw new InputException("device override '" + e.getKey() + "': " + String.join(".", path)
            + " of device '" + device + "' is not a single value (" + old + ")");
      }
      parent.set(leaf, value(e.getValue(), old));
      if (path.get(0).equals("units") && path.get(1).equals("xpu")) {
        xpuChanged = true;
        peakGiven |= leaf.equals("peakTflopsBf16");
      }
    }
    return !xpuChanged || peakGiven;
  }

  /** The name suffix of an overridden preset: {@code [pim.macs=1024,standard=HBM3-6.4]}. */
  static String suffix(Map<String, String> overrides) {
    StringJoiner j = new StringJoiner(",", "[", "]");
    overrides.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  /** The full path of {@code key} in the preset, short forms expanded. */
  static List<String> resolve(String device, JsonNode preset, String key) {
    List<String> segs = new ArrayList<>(Arrays.asList(key.split("\\.", -1)));
    if (segs.stream().anyMatch(String::isEmpty)) {
      throw new InputException("device override '" + key + "': empty path segment");
    }
    switch (segs.get(0)) {
      case "pim" -> {
        String unit = pimUnit(preset);
        if (unit == null) {
          throw new InputException("device override '" + key + "': device '" + device + "' has no PIM unit");
        }
        segs.set(0, unit);
        segs.add(0, "units");
      }
      case "xpu", "logic-pim", "bank-pim", "bankgroup-pim" -> segs.add(0, "units");
      default -> {
        if (MEMORY_KEYS.contains(segs.get(0))) {
          segs.add(0, "memory");
        }
      }
    }
    String leaf = segs.get(segs.size() - 1);
    if (leaf.equals("macs")) {
      segs.set(segs.size() - 1, "macsPerCycle");
    }
    return segs;
  }

  private static String pimUnit(JsonNode preset) {
    JsonNode units = preset.get("units");
    if (units == null) {
      return null;
    }
    for (var it = units.fieldNames(); it.hasNext();) {
      String u = it.next();
      if (!u.equals("xpu")) {
        return u;
      }
    }
    return null;
  }

  /** The value as the type the parameter has (a number stays a number). */
  private static JsonNode value(String text, JsonNode old) {
    String t = text.trim();
    boolean numeric = old == null ? t.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?") : old.isNumber();
    if (!numeric) {
      return JsonNodeFactory.instance.textNode(t);
    }
    try {
      if (t.matches("[-+]?[0-9]+")) {
        return JsonNodeFactory.instance.numberNode(Long.parseLong(t));
      }
      return JsonNodeFactory.instance.numberNode(Double.parseDouble(t));
    } catch (NumberFormatException e) {
      // a number field given text: the parser reports it with the field's name
      return JsonNodeFactory.instance.textNode(t);
    }
  }

  private static InputException unknown(String device, String key, JsonNode parent) {
    List<String> names = new ArrayList<>();
    parent.fieldNames().forEachRemaining(names::add);
    return new InputException("device override '" + key + "': device '" + device + "' has no such parameter;"
        + " expected one of " + names + " there (short forms: pim.*, xpu.*, standard, stacks, tsvPimWidth, "
        + "tsvXpuWidth, timing.*)");
  }
}
