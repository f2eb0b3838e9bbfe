package io.duplexsim.validation.report;

import io.duplexsim.validation.experiment.ExperimentResults;
import io.duplexsim.validation.experiment.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The output folder of an experiment: results.json, results.csv, the charts and report.html (tables and
 * charts together). Every file is written atomically; report.html is written last, so its presence
 * means the folder is complete.
 */
public final class ExperimentReport {
  private ExperimentReport() {}

  /** Writes everything; returns the file names written. */
  public static List<String> write(ExperimentResults results, Path dir) {
    results.writeJson(dir.resolve("results.json"));
    results.writeCsv(dir.resolve("results.csv"));
    return drawAll(results, dir);
  }

  /** Charts and report.html only, from results already saved (what {@code plot} does). */
  public static List<String> drawAll(ExperimentResults results, Path dir) {
    List<ExperimentCharts.Chart> charts = new ExperimentCharts(results).writeAll(dir);
    html(results, charts, dir).write(dir.resolve("report.html"));
    List<String> files = new ArrayList<>();
    charts.forEach(c -> files.add(c.file()));
    files.add("report.html");
    return files;
  }

  static HtmlReport html(ExperimentResults results, List<ExperimentCharts.Chart> charts, Path dir) {
    HtmlReport h = new HtmlReport("duplexsim: " + (results.title().isEmpty() ? "comparison" : results.title()));
    if (!results.command().isEmpty()) {
      h.code(results.command());
    }
    Set<String> fidelities = new TreeSet<>();
    results.runs().forEach(r -> fidelities.add(r.fidelity()));
    h.paragraph(results.runs().size() + " runs; fidelity " + String.join(", ", fidelities) + "; reference "
        + results.reference() + ". Every number is computed by the simulator.");
    for (String f : List.of("results.json", "results.csv")) {
      if (Files.exists(dir.resolve(f))) {
        h.link(f, f);
      }
    }
    h.heading("Summary");
    h.table(List.of(results.seriesAxis(), "point", "throughput (tok/s)", "vs " + results.reference(),
        "TTFT p50 (ms)", "TTFT p99 (ms)", "TBT p50 (ms)", "TBT p99 (ms)", "E2E p50 (ms)", "E2E p99 (ms)",
        "energy (mJ/token)", "fidelity", "wall (s)", "CPU (s)"), summaryRows(results));
    for (ExperimentCharts.Chart c : charts) {
      h.image(c.file(), c.caption());
    }
    h.heading("Energy per output token by category (mJ)");
    h.table(groupHeader(results, "energy_breakdown"), groupRows(results, "energy_breakdown", 1));
    h.heading("Unit utilisation (% busy)");
    h.table(groupHeader(results, "unit_utilization"), groupRows(results, "unit_utilization", 100));
    return h;
  }

  private static List<List<String>> summaryRows(ExperimentResults results) {
    List<List<String>> rows = new ArrayList<>();
    for (RunResult r : results.runs()) {
      rows.add(List.of(results.seriesOf(r), results.pointOf(r), num(r.number("throughput_tokens_per_s"), 1),
          num(results.normalised(r, "throughput_tokens_per_s"), 3), num(r.number("ttft_p50_ms"), 2),
          num(r.number("ttft_p99_ms"), 2), num(r.number("tbt_p50_ms"), 3), num(r.number("tbt_p99_ms"), 3),
          num(r.number("e2e_p50_ms"), 1), num(r.number("e2e_p99_ms"), 1), num(r.number("energy_per_token_mJ"), 3),
          r.fidelity(), num(r.number("wall_s"), 1), num(r.number("cpu_s"), 1)));
    }
    return rows;
  }

  private static List<String> groupHeader(ExperimentResults results, String group) {
    List<String> header = new ArrayList<>(List.of(results.seriesAxis(), "point"));
    header.addAll(groupKeys(results, group));
    return header;
  }

  private static Set<String> groupKeys(ExperimentResults results, String group) {
    Set<String> keys = new TreeSet<>();
    results.runs().forEach(r -> keys.addAll(r.group(group).keySet()));
    return keys;
  }

  private static List<List<String>> groupRows(ExperimentResults results, String group, double scale) {
    Set<String> keys = groupKeys(results, group);
    List<List<String>> rows = new ArrayList<>();
    for (RunResult r : results.runs()) {
      List<String> row = new ArrayList<>(List.of(results.seriesOf(r), results.pointOf(r)));
      for (String k : keys) {
        Double v = r.group(group).get(k);
        row.add(v == null ? "" : num(scale * v, 3));
      }
      rows.add(row);
    }
    return rows;
  }

  /** At least {@code digits} decimals, and 4 significant digits for small values (a tiny model's microseconds). */
  private static String num(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "";
    }
    if (v != 0 && Math.abs(v) < Math.pow(10, 3 - digits)) {
      return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }
}
