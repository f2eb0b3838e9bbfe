package io.duplexsim.workloads.compiler;

import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expert choices replayed from a CSV: one line per token, {@code layer,e1,...,ek} (layer = the 0-based
 * block index, e = expert ids), in token order; blank lines, {@code #} comments and a header line that
 * starts with a non-number are skipped. Each layer's rows are consumed in order across calls and wrap
 * around when used up, so a short recording drives a long run.
 */
public final class ReplayRouter implements ExpertRouter {
  private final String file;
  private final Map<Integer, List<int[]>> rows;
  private final Map<Integer, List<Integer>> lineNumbers;
  private final Map<Integer, Integer> cursor = new HashMap<>();

  private ReplayRouter(String file, Map<Integer, List<int[]>> rows, Map<Integer, List<Integer>> lineNumbers) {
    this.file = file;
    this.rows = rows;
    this.lineNumbers = lineNumbers;
  }

  /** Reads {@code csv}; InputException "FILE:LINE: ..." for a malformed line, or for a missing file. */
  public static ReplayRouter read(Path csv) {
    List<String> lines;
    try {
      lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException("router: cannot read expert choices from " + csv + ": " + e.getMessage(), e);
    }
    return parse(lines, csv.toString());
  }

  /** Parses CSV lines; {@code file} names them in messages. */
  public static ReplayRouter parse(List<String> lines, String file) {
    Map<Integer, List<int[]>> rows = new HashMap<>();
    Map<Integer, List<Integer>> lineNumbers = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || (rows.isEmpty() && !Character.isDigit(line.charAt(0)))) {
        continue;
      }
      String[] f = line.split("\\s*,\\s*");
      if (f.length < 2) {
        throw new InputException(file + ":" + (i + 1) + ": expected 'layer,expert,...', got '" + line + "'");
      }
      int[] v = new int[f.length];
      for (int j = 0; j < f.length; j++) {
        try {
          v[j] = Integer.parseInt(f[j]);
        } catch (NumberFormatException e) {
          v[j] = -1;
        }
        if (v[j] < 0) {
          throw new InputException(file + ":" + (i + 1) + ": field " + (j + 1) + " expected a non-negative integer, got '"
              + f[j] + "'");
        }
      }
      rows.computeIfAbsent(v[0], k -> new ArrayList<>()).add(java.util.Arrays.copyOfRange(v, 1, v.length));
      lineNumbers.computeIfAbsent(v[0], k -> new ArrayList<>()).add(i + 1);
    }
    if (rows.isEmpty()) {
      throw new InputException(file + ": no expert choices (expected lines 'layer,expert,...')");
    }
    return new ReplayRouter(file, rows, lineNumbers);
  }

  @Override
  public int[] route(int layer, int tokens, int experts, int topK) {
    List<int[]> r = rows.get(layer);
    if (r == null) {
      throw new InputException(file + ": no expert choices for layer " + layer + "; it has layers "
          + new java.util.TreeSet<>(rows.keySet()));
    }
    int[] out = new int[tokens * topK];
    int at = cursor.getOrDefault(layer, 0);
    for (int t = 0; t < tokens; t++) {
      int[] row = r.get(at);
      String where = file + ":" + lineNumbers.get(layer).get(at) + ": ";
      if (row.length != topK) {
        throw new InputException(where + "expected " + topK + " experts (the model's top-k), got " + row.length);
      }
      for (int j = 0; j < topK; j++) {
        if (row[j] >= experts) {
          throw new InputException(where + "expert " + row[j] + " does not exist (the model has " + experts + ")");
        }
        for (int i = 0; i < j; i++) {
          if (row[i] == row[j]) {
            throw new InputException(where + "expert " + row[j] + " is chosen twice");
          }
        }
        out[t * topK + j] = row[j];
      }
      at = (at + 1) % r.size();
    }
    cursor.put(layer, at);
    return out;
  }
}
