package io.duplexsim.validation.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duplexsim.sim.InputException;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A sweep's output folder. {@code sweep.jsonl} gets one line per finished run as it finishes, written
 * whole in one write and flushed, so a killed sweep keeps every run it finished: {@code {"run", "params",
 * "scenario", "result", "wall_s"}}. {@code sweep.csv} (one row per run in cross-product order, the
 * varied fields then every result metric, nested ones as {@code a.b}) is rewritten atomically at the end.
 * On resume, lines that do not parse (a line cut by a kill) are dropped and the file rewritten.
 */
public final class SweepResults implements Closeable {
  public static final String JSONL = "sweep.jsonl";
  public static final String CSV = "sweep.csv";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Map<String, JsonNode> done = new LinkedHashMap<>();
  private final int dropped;
  private OutputStream out;

  private SweepResults(Path dir, int dropped) {
    this.dir = dir;
    this.dropped = dropped;
  }

  /**
   * Opens {@code dir} for {@code spec}. Without {@code resume} an existing non-empty sweep.jsonl is an
   * InputException (nothing is overwritten); with it, its runs count as done, each checked to have been
   * made from the same scenario as the spec's run with those fields.
   */
  public static SweepResults open(Path dir, SweepPlan spec, boolean resume) {
    try {
      Files.createDirectories(dir);
      Path jsonl = dir.resolve(JSONL);
      boolean exists = Files.isRegularFile(jsonl) && Files.size(jsonl) > 0;
      if (exists && !resume) {
        throw new InputException(jsonl + " exists; pass --resume to continue that sweep, or choose another --out");
      }
      List<String> kept = new ArrayList<>();
      List<JsonNode> lines = new ArrayList<>();
      int dropped = 0;
      if (exists) {
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
          JsonNode n = parse(line);
          if (n == null) {
            dropped++;
          } else {
            kept.add(line);
            lines.add(n);
          }
        }
        if (dropped > 0) {
          // Rewrite without the cut line(s), so that appends start on a line of their own.
          Path tmp = dir.resolve(JSONL + ".tmp");
          Files.write(tmp, kept, StandardCharsets.UTF_8);
          move(tmp, jsonl);
        }
      }
      SweepResults r = new SweepResults(dir, dropped);
      Map<String, SweepPoint> byKey = new LinkedHashMap<>();
      spec.points().forEach(p -> byKey.put(p.key(), p));
      for (JsonNode n : lines) {
        Map<String, String> params = JSON.convertValue(n.get("params"), new TypeReference<LinkedHashMap<String, String>>() {});
        String key = SweepPoint.key(params);
        SweepPoint p = byKey.get(key);
        if (p != null) {
          Map<String, String> was = JSON.convertValue(n.get("scenario"), new TypeReference<LinkedHashMap<String, String>>() {});
          Map<String, String> now = spec.scenarioValues(p);
          if (!was.equals(now)) {
            throw new InputException(jsonl + ": run " + p.label() + " was made from another scenario ("
                + difference(was, now) + "); use another --out for the changed sweep");
          }
        }
        r.done.put(key, n);
      }
      r.out = Files.newOutputStream(jsonl, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the run with these fields is already in sweep.jsonl. */
  public boolean isDone(SweepPoint p) {
    return done.containsKey(p.key());
  }

  /** Lines of sweep.jsonl that did not parse and were dropped on opening. */
  public int droppedLines() {
    return dropped;
  }

  /** Appends a finished run as one whole line and flushes it. */
  public void append(SweepPoint p, Map<String, String> scenarioValues, Map<String, Object> result,
      double wallSeconds) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("run", p.index());
    line.put("params", p.params());
    line.put("scenario", scenarioValues);
    line.put("result", result);
    line.put("wall_s", wallSeconds);
    try {
      byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(bytes);
      out.flush();
      done.put(p.key(), JSON.readTree(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A done run's result metrics, nested ones as {@code a.b} (as sweep.csv has them); null if not done. */
  public Map<String, String> metrics(SweepPoint p) {
    JsonNode n = done.get(p.key());
    if (n == null) {
      return null;
    }
    Map<String, String> row = new LinkedHashMap<>();
    flatten("", n.get("result"), row);
    return row;
  }

  /** Rewrites sweep.csv with the done runs among {@code points}, in their order; returns its path. */
  public Path writeCsv(List<SweepPoint> points) {
    List<Map<String, String>> rows = new ArrayList<>();
    Set<String> columns = new LinkedHashSet<>();
    for (SweepPoint p : points) {
      JsonNode n = done.get(p.key());
      if (n == null) {
        continue;
      }
      Map<String, String> row = new LinkedHashMap<>(p.params());
      columns.addAll(p.params().keySet());
      flatten("", n.get("result"), row);
      columns.addAll(row.keySet());
      rows.add(row);
    }
    Path csv = dir.resolve(CSV);
    Path tmp = dir.resolve(CSV + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(String.join(",", columns.stream().map(SweepResults::cell).toList()) + "\n");
      for (Map<String, String> row : rows) {
        List<String> cells = new ArrayList<>();
        for (String c : columns) {
          cells.add(cell(row.getOrDefault(c, "")));
        }
        w.write(String.join(",", cells) + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    move(tmp, csv);
    return csv;
  }

  @Override
  public void close() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(line);
      boolean whole = n != null && n.isObject() && n.path("params").isObject() && n.path("scenario").isObject()
          && n.path("result").isObject();
      return whole ? n : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> row) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), row);
      }
    } else if (!node.isArray()) {
      row.put(prefix, node.isNull() ? "" : node.asText());
    }
  }

  private static String cell(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private static String difference(Map<String, String> was, Map<String, String> now) {
    Set<String> keys = new LinkedHashSet<>(was.keySet());
    keys.addAll(now.keySet());
    for (String k : keys) {
      if (!Objects.equals(was.get(k), now.get(k))) {
        return k + " was '" + was.get(k) + "', now '" + now.get(k) + "'";
      }
    }
    return "same values";
  }

  private static void move(Path from, Path to) {
    try {
      try {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
