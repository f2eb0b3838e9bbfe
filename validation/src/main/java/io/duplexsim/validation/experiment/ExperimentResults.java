package io.duplexsim.validation.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.duplexsim.sim.InputException;
import io.duplexsim.validation.report.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The results of an experiment grid: its axes (level labels in order, so charts keep the order the user
 * gave) and one {@link RunResult} per run, in grid order. Saved as results.json (everything: axes, each
 * run's config, metrics and fidelity; {@link #read} loads it back) and results.csv (one row per run, flat
 * columns for pandas).
 *
 * <p>The series axis is {@code system} when there is one, else the first axis: charts draw one bar
 * colour per series level and group bars by the other axes' levels (a "point"). The reference is the
 * series axis's first level; normalised metrics divide by the reference run of the same point.
 *
 * @param title what the experiment compares (chart and report titles)
 * @param command the command line that produced it, for the report
 * @param axes axis name to level labels, in order
 * @param runs results in grid order
 */
public record ExperimentResults(String title, String command, Map<String, List<String>> axes, List<RunResult> runs) {
  /** Identifies results.json files. */
  public static final String FORMAT = "duplexsim-results/1";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ExperimentResults {
    Map<String, List<String>> a = new LinkedHashMap<>();
    axes.forEach((k, v) -> a.put(k, List.copyOf(v)));
    axes = Collections.unmodifiableMap(a);
    runs = List.copyOf(runs);
  }

  /** The axis whose levels get one colour each: {@code system} if present, else the first axis. */
  public String seriesAxis() {
    if (axes.containsKey("system") || axes.isEmpty()) {
      return "system";
    }
    return axes.keySet().iterator().next();
  }

  /** The series levels in order (the systems compared). */
  public List<String> series() {
    List<String> s = axes.get(seriesAxis());
    if (s != null) {
      return s;
    }
    Set<String> seen = new LinkedHashSet<>();
    runs.forEach(r -> seen.add(seriesOf(r)));
    return List.copyOf(seen);
  }

  /** The level everything is normalised to: the first series level. */
  public String reference() {
    return series().isEmpty() ? "" : series().get(0);
  }

  /** The axes other than the series axis, whose level combinations group the bars. */
  public List<String> pointAxes() {
    List<String> p = new ArrayList<>(axes.keySet());
    p.remove(seriesAxis());
    return p;
  }

  public String seriesOf(RunResult r) {
    String s = r.run().axes().get(seriesAxis());
    return s != null ? s : String.valueOf(r.metrics().getOrDefault(seriesAxis(), r.run().id()));
  }

  /** The point a run belongs to: its levels on the other axes, joined ({@code 32, 256:256}). */
  public String pointOf(RunResult r) {
    List<String> parts = new ArrayList<>();
    for (String a : pointAxes()) {
      parts.add(r.run().axes().get(a));
    }
    return parts.isEmpty() ? "all" : String.join(", ", parts);
  }

  /** The points in grid order. */
  public List<String> points() {
    Set<String> p = new LinkedHashSet<>();
    runs.forEach(r -> p.add(pointOf(r)));
    return List.copyOf(p);
  }

  /** The run at a point for a series level, or null. */
  public RunResult find(String point, String series) {
    for (RunResult r : runs) {
      if (pointOf(r).equals(point) && seriesOf(r).equals(series)) {
        return r;
      }
    }
    return null;
  }

  /** A run's metric divided by that of the reference run at the same point; NaN if there is none. */
  public double normalised(RunResult r, String metric) {
    RunResult ref = find(pointOf(r), reference());
    return ref == null ? Double.NaN : r.number(metric) / ref.number(metric);
  }

  // ---------------------------------------------------------------------------------------------- JSON

  /** The results.json text. */
  public String toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("title", title);
    root.put("command", command);
    root.put("axes", axes);
    List<Map<String, Object>> list = new ArrayList<>();
    for (RunResult r : runs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.run().id());
      m.put("fidelity", r.fidelity());
      m.put("axes", r.run().axes());
      m.put("config", r.run().config());
      m.put("metrics", r.metrics());
      list.add(m);
    }
    root.put("runs", list);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes results.json atomically. */
  public void writeJson(Path file) {
    AtomicFiles.writeString(file, toJson());
  }

  /** Loads a results.json; InputException naming the file when it is missing or not one. */
  public static ExperimentResults read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(file + " does not exist");
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new InputException(file + ": not a results.json (" + e.getMessage().lines().findFirst().orElse("") + ")",
          e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new InputException(file + ": not a results.json (expected \"format\": \"" + FORMAT + "\")");
    }
    try {
      Map<String, List<String>> axes = JSON.convertValue(root.path("axes"), new TypeReference<LinkedHashMap<String,
          List<String>>>() { });
      List<RunResult> runs = new ArrayList<>();
      for (JsonNode n : root.path("runs")) {
        Map<String, String> runAxes = JSON.convertValue(n.path("axes"),
            new TypeReference<LinkedHashMap<String, String>>() { });
        Map<String, String> config = JSON.convertValue(n.path("config"),
            new TypeReference<LinkedHashMap<String, String>>() { });
        Map<String, Object> metrics = JSON.convertValue(n.path("metrics"),
            new TypeReference<LinkedHashMap<String, Object>>() { });
        runs.add(new RunResult(new ExperimentRun(n.path("id").asText(), runAxes, config), metrics));
      }
      return new ExperimentResults(root.path("title").asText(""), root.path("command").asText(""),
          axes == null ? Map.of() : axes, runs);
    } catch (IllegalArgumentException e) {
      throw new InputException(file + ": malformed results.json (" + e.getMessage().lines().findFirst().orElse("")
          + ")", e);
    }
  }

  // ----------------------------------------------------------------------------------------------- CSV

  /**
   * The results.csv columns: {@code run} (the id), one per axis, {@code config.KEY} per scenario key,
   * the metrics (a nested map's entries as {@code PARENT.KEY}, such as {@code energy_breakdown.moe.dram};
   * a metric named like an axis is given once, under the axis), then {@code throughput_normalised}
   * (throughput over the reference system's at the same point).
   */
  public List<String> csvColumns() {
    Set<String> cols = new LinkedHashSet<>();
    cols.add("run");
    cols.addAll(axes.keySet());
    for (RunResult r : runs) {
      r.run().config().keySet().forEach(k -> cols.add("config." + k));
    }
    for (RunResult r : runs) {
      flatten("", r.metrics()).keySet().forEach(cols::add);
    }
    cols.add("throughput_normalised");
    return List.copyOf(cols);
  }

  /** Writes results.csv atomically. */
  public void writeCsv(Path file) {
    AtomicFiles.write(file, this::writeCsv);
  }

  public void writeCsv(Writer w) throws IOException {
    List<String> cols = csvColumns();
    w.write(String.join(",", cols.stream().map(ExperimentResults::csvField).toList()));
    w.write("\n");
    for (RunResult r : runs) {
      Map<String, String> row = new LinkedHashMap<>();
      flatten("", r.metrics()).forEach((k, v) -> row.put(k, cell(v)));
      r.run().config().forEach((k, v) -> row.put("config." + k, v));
      row.putAll(r.run().axes());
      row.put("run", r.run().id());
      row.put("throughput_normalised", cell(normalised(r, "throughput_tokens_per_s")));
      List<String> cells = new ArrayList<>();
      for (String c : cols) {
        cells.add(csvField(row.getOrDefault(c, "")));
      }
      w.write(String.join(",", cells));
      w.write("\n");
    }
  }

  private static Map<String, Object> flatten(String prefix, Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (v instanceof Map<?, ?> nested) {
        out.putAll(flatten(prefix + k + ".", nested));
      } else {
        out.put(prefix + k, v);
      }
    });
    return out;
  }

  private static String cell(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return Double.isNaN(d) ? "" : Double.toString(d);
    }
    return String.valueOf(v);
  }

  private static String csvField(String s) {
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ExperimentResults[%s, %d runs]", title, runs.size());
  }
}
