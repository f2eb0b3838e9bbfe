package io.duplexsim.validation.suite;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Published against simulated for every numeric check, log-log, with the y = x line: passing checks in
 * green, failing ones in red. Yes/no claims are left out (they are rows of the table, not points).
 */
final class ValidationChart {
  private ValidationChart() {}

  static void write(String title, List<CheckResult> checks, Path png) throws IOException {
    XYSeries pass = new XYSeries("within tolerance", false);
    XYSeries fail = new XYSeries("outside tolerance", false);
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (CheckResult c : checks) {
      if (c.tolerance() == 0 || !(c.published() > 0) || !(c.simulated() > 0)) {
        continue; // claims, and numbers a log axis cannot show
      }
      (c.pass() ? pass : fail).add(c.published(), c.simulated());
      lo = Math.min(lo, Math.min(c.published(), c.simulated()));
      hi = Math.max(hi, Math.max(c.published(), c.simulated()));
    }
    if (hi == 0) {
      lo = 0.1;
      hi = 10;
    }
    XYSeries diagonal = new XYSeries("simulated = published");
    diagonal.add(lo / 1.5, lo / 1.5);
    diagonal.add(hi * 1.5, hi * 1.5);
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(pass);
    data.addSeries(fail);
    data.addSeries(diagonal);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    r.setSeriesPaint(0, new Color(0x2ca02c));
    r.setSeriesPaint(1, new Color(0xd62728));
    r.setSeriesPaint(2, Color.GRAY);
    r.setSeriesLinesVisible(2, true);
    r.setSeriesShapesVisible(2, false);
    r.setSeriesStroke(2, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    LogAxis x = new LogAxis("published value (ratio, fraction or Op/B)");
    LogAxis y = new LogAxis("simulated value (same quantity)");
    for (LogAxis a : new LogAxis[] {x, y}) {
      // one tick per power of two, labelled with the plain value
      a.setBase(2);
      a.setAutoTickUnitSelection(false);
      a.setTickUnit(new NumberTickUnit(1.0));
      a.setNumberFormatOverride(new DecimalFormat("0.###"));
      a.setRange(lo / 1.5, hi * 1.5);
    }
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 700);
  }
}
