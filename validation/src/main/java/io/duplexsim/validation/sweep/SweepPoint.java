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

  /** The cross product of the varied values, in field order, the last field varying fastest. */
  public static java.util.List<SweepPoint> crossProduct(Map<String, java.util.List<String>> vary) {
    java.util.List<SweepPoint> points = new java.util.ArrayList<>();
    java.util.List<String> fields = new java.util.ArrayList<>(vary.keySet());
    int total = 1;
    for (java.util.List<String> values : vary.values()) {
      total = Math.multiplyExact(total, values.size());
    }
    for (int i = 0; i < total; i++) {
      Map<String, String> params = new LinkedHashMap<>();
      int rest = i;
      for (int f = fields.size() - 1; f >= 0; f--) {
        java.util.List<String> values = vary.get(fields.get(f));
        params.put(fields.get(f), values.get(rest % values.size()));
        rest /= values.size();
      }
      Map<String, String> ordered = new LinkedHashMap<>();
      fields.forEach(f -> ordered.put(f, params.get(f)));
      points.add(new SweepPoint(i, ordered));
    }
    return points;
  }

  /** {@code device.pim.macs=1024 device.standard=HBM3-6.4}, for progress lines and errors. */
  public String label() {
    StringJoiner j = new StringJoiner(" ");
    params.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }
}
