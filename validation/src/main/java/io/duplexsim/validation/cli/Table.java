package io.duplexsim.validation.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plain-text aligned tables for terminal output. */
final class Table {
  private Table() {}

  /** Prints rows with columns left-aligned and separated by {@code gap} spaces; last column unpadded. */
  static void print(PrintWriter out, List<String[]> rows, int gap) {
    int cols = 0;
    for (String[] r : rows) {
      cols = Math.max(cols, r.length);
    }
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        width[c] = Math.max(width[c], r[c] == null ? 0 : r[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      sb.setLength(0);
      for (int c = 0; c < r.length; c++) {
        String v = r[c] == null ? "" : r[c];
        sb.append(v);
        if (c < r.length - 1) {
          sb.append(" ".repeat(width[c] - v.length() + gap));
        }
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  /**
   * Prints a metrics map as {@code key  value} lines, numbers right-aligned on their decimal
   * point; nested maps are listed indented under their key.
   */
  /** Indented JSON of a metrics map, in its key order. */
  static String json(Map<String, Object> metrics) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A command's result: one JSON object, or the metrics as a table. */
  static void print(PrintWriter out, Map<String, Object> metrics, boolean asJson) {
    if (asJson) {
      out.println(json(metrics));
    } else {
      printMetrics(out, metrics);
    }
    out.flush();
  }

  static void printMetrics(PrintWriter out, Map<String, Object> metrics) {
    List<String[]> rows = new java.util.ArrayList<>();
    addRows(rows, "", metrics);
    int keyWidth = 0;
    int intWidth = 0;
    for (String[] r : rows) {
      keyWidth = Math.max(keyWidth, r[0].length());
      if (r[1] != null && isNumber(r[1])) {
        intWidth = Math.max(intWidth, intPart(r[1]));
      }
    }
    for (String[] r : rows) {
      String key = r[0];
      if (r[1] == null) {
        out.println(key);
        continue;
      }
      String v = r[1];
      String pad = isNumber(v) ? " ".repeat(intWidth - intPart(v)) : "";
      out.println(key + " ".repeat(keyWidth - key.length() + 2) + pad + v);
    }
  }

  private static void addRows(List<String[]> rows, String indent, Map<?, ?> map) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = indent + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m) {
        rows.add(new String[] {key + (m.isEmpty() ? "  (none)" : ":"), null});
        addRows(rows, indent + "  ", m);
      } else {
        rows.add(new String[] {key, format(v)});
      }
    }
  }

  static String format(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return String.valueOf(d);
      }
      double a = Math.abs(d);
      if (a != 0 && (a >= 1e12 || a < 1e-3)) {
        return String.format(Locale.ROOT, "%.4e", d);
      }
      return String.format(Locale.ROOT, "%.3f", d);
    }
    return String.valueOf(v);
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isDigit(c) || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+')) {
        return false;
      }
    }
    return Character.isDigit(s.charAt(s.length() - 1));
  }

  private static int intPart(String s) {
    int dot = s.indexOf('.');
    return dot < 0 ? s.length() : dot;
  }
}
