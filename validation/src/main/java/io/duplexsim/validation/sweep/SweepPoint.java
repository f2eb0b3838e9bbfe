package io.duplexsim.validation.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * One run of a sweep: its place in the cross product and the value of every varied field.
 *
 * @param index position in the cross product (the first field varies slowest)
 * @param params varied field -> value, in the sweep file's field order
 */
public record SweepPoint(int index, Map<String, String> params) {
  public SweepPoint {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** What identifies the run across sweeps (for --resume): the fields and values, in name order. */
  public String key() {
    return key(params);
  }

  /** The key of a parameter combination read back from results. */
  public static String key(Map<String, String> params) {
    StringJoiner j = new StringJoiner("\u0000");
    new TreeMap<>(params).forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  /** {@code device.pim.macs=1024 device.standard=HBM3-6.4}, for progress lines and errors. */
  public String label() {
    StringJoiner j = new StringJoiner(" ");
    params.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }
}
