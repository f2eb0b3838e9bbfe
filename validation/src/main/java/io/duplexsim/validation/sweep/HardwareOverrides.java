package io.duplexsim.validation.sweep;

import io.duplexsim.sim.InputException;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.system.SystemPreset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The scenario key {@code device-overrides}: hardware parameters of the system's device preset changed
 * for one run, written {@code path=value,path=value} with the paths of
 * {@link io.duplexsim.units.device.DeviceOverrides} ({@code pim.macs=1024,standard=HBM3-6.4}). A sweep
 * varies {@code device.PATH} fields by writing them here, so a run's hardware is in its scenario.
 */
public final class HardwareOverrides {
  /** The scenario key. */
  public static final String KEY = "device-overrides";

  private HardwareOverrides() {}

  /** The overrides in {@code text}, in order; InputException naming the key on a malformed entry. */
  public static Map<String, String> parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return m;
    }
    for (String entry : text.split(",")) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new InputException(KEY + " must be PATH=VALUE[,PATH=VALUE...] (e.g. pim.macs=1024,standard=HBM3-6.4),"
            + " got '" + text + "'");
      }
      String path = entry.substring(0, eq).trim();
      if (m.put(path, entry.substring(eq + 1).trim()) != null) {
        throw new InputException(KEY + ": '" + path + "' is given twice in '" + text + "'");
      }
    }
    return m;
  }

  /** The text form of {@code overrides}, the inverse of {@link #parse}. */
  public static String format(Map<String, String> overrides) {
    StringJoiner j = new StringJoiner(",");
    overrides.forEach((k, v) -> {
      if (k.contains(",") || k.contains("=") || v.contains(",")) {
        throw new InputException(KEY + ": '" + k + "' = '" + v + "' may not contain ',' (or '=' in the path)");
      }
      j.add(k + "=" + v);
    });
    return j.toString();
  }

  /** {@code system} with its device re-loaded from preset {@code device} with the overrides in {@code text}. */
  public static SystemPreset apply(SystemPreset system, String device, String text) {
    Map<String, String> overrides = parse(text);
    if (overrides.isEmpty()) {
      return system;
    }
    return new SystemPreset(system.name(), system.description(), Devices.load(device, overrides), system.fabric());
  }
}
