package io.duplexsim.validation.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Writes a validation folder: validation.csv (one row per published number), validation.png (published
 * vs simulated) and report.html (the table with notes, and the chart). Each file is written under a
 * temporary name and moved into place, so a failed run leaves nothing that looks complete.
 */
public final class ValidationReport {
  private ValidationReport() {}

  public static void write(Path dir, String title, List<CheckResult> checks, String preamble) {
    try {
      Files.createDirectories(dir);
      StringBuilder csv = new StringBuilder(CheckResult.CSV_HEADER).append('\n');
      checks.forEach(c -> csv.append(c.csvRow()).append('\n'));
      Path csvTmp = Files.writeString(dir.resolve("validation.csv.tmp"), csv, StandardCharsets.UTF_8);
      Path pngTmp = dir.resolve("validation.png.tmp");
      ValidationChart.write(title + ": published vs simulated", checks, pngTmp);
      Path htmlTmp = Files.writeString(dir.resolve("report.html.tmp"), html(title, checks, preamble),
          StandardCharsets.UTF_8);
      Files.move(csvTmp, dir.resolve("validation.csv"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(pngTmp, dir.resolve("validation.png"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(htmlTmp, dir.resolve("report.html"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String html(String title, List<CheckResult> checks, String preamble) {
    long passed = checks.stream().filter(CheckResult::pass).count();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n")
        .append("<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px}td.n{text-align:right}")
        .append("tr.fail{background:#fde2e2}tr.pass{background:#e6f4e6}</style></head><body>\n")
        .append("<h1>").append(esc(title)).append("</h1>\n<p>").append(esc(preamble)).append("</p>\n")
        .append("<p><b>").append(passed).append(" of ").append(checks.size()).append(" checks pass.</b> ")
        .append("A failing check is information: its note says what was compared and where the setup differs.</p>\n")
        .append("<img src=\"validation.png\" alt=\"published vs simulated\">\n")
        .append("<table><tr><th>check</th><th>source</th><th>published</th><th>simulated</th><th>rel. error</th>")
        .append("<th>tolerance</th><th>pass</th><th>note</th></tr>\n");
    for (CheckResult c : checks) {
      h.append("<tr class=\"").append(c.pass() ? "pass" : "fail").append("\"><td>").append(esc(c.check()))
          .append("</td><td>").append(esc(c.source())).append("</td><td class=n>").append(num(c.published()))
          .append("</td><td class=n>").append(num(c.simulated())).append("</td><td class=n>").append(num(c.relError()))
          .append("</td><td class=n>").append(num(c.tolerance())).append("</td><td>").append(c.pass() ? "yes" : "no")
          .append("</td><td>").append(esc(c.note())).append("</td></tr>\n");
    }
    return h.append("</table>\n</body></html>\n").toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
