package io.duplexsim.validation.report;

import java.nio.file.Path;
import java.util.List;

/**
 * A self-contained HTML page of headings, text, tables and charts (images referenced by a path relative
 * to the page, so the folder can be moved or zipped as a whole). Built in order, then written atomically.
 */
public final class HtmlReport {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  public HtmlReport(String title) {
    this.title = title;
  }

  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  public HtmlReport paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  public HtmlReport code(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  /** A link to a file beside the report. */
  public HtmlReport link(String href, String text) {
    body.append("<p><a href=\"").append(escape(href)).append("\">").append(escape(text)).append("</a></p>\n");
    return this;
  }

  /** A table; cells that look like numbers are right-aligned. */
  public HtmlReport table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    for (String h : header) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (List<String> r : rows) {
      body.append("<tr>");
      for (String c : r) {
        body.append(isNumeric(c) ? "<td class=\"n\">" : "<td>").append(escape(c)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** A chart: the image at {@code relativePath} with a caption under it. */
  public HtmlReport image(String relativePath, String caption) {
    body.append("<figure><img src=\"").append(escape(relativePath)).append("\" alt=\"").append(escape(caption))
        .append("\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
    return this;
  }

  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
        + "</title>\n<style>\n"
        + "body{font-family:sans-serif;margin:2em;max-width:1500px;color:#222}\n"
        + "table{border-collapse:collapse;margin:1em 0;font-size:13px}\n"
        + "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f0f0f0}td.n{text-align:right;"
        + "font-variant-numeric:tabular-nums}\n"
        + "figure{margin:1.5em 0}img{max-width:100%;border:1px solid #eee}figcaption{font-size:13px;color:#555}\n"
        + "pre{background:#f6f6f6;padding:.6em;white-space:pre-wrap}\n"
        + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
  }

  public void write(Path file) {
    AtomicFiles.writeString(file, html());
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static boolean isNumeric(String s) {
    return !s.isEmpty() && s.matches("[-+]?[0-9][0-9.,eE+-]*%?|[-+]?\\.[0-9]+");
  }
}
