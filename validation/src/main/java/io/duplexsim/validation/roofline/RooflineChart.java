package io.duplexsim.validation.roofline;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Achieved TFLOPS against Op/B on log-log axes: a solid line per unit, its nominal roof dashed. */
final class RooflineChart {
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e)};

  private RooflineChart() {}

  static void write(String title, List<RooflinePoint> points, Path png) throws IOException {
    Map<String, XYSeries> achieved = new LinkedHashMap<>();
    Map<String, XYSeries> roofs = new LinkedHashMap<>();
    for (RooflinePoint p : points) {
      achieved.computeIfAbsent(p.unit(), u -> new XYSeries(u + " (simulated)")).add(p.nominalOpPerByte(),
          p.result().achievedTflops());
      roofs.computeIfAbsent(p.unit(), u -> new XYSeries(u + " roof")).add(p.nominalOpPerByte(), p.roofTflops());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    int i = 0;
    for (String unit : achieved.keySet()) {
      Color c = COLORS[i % COLORS.length];
      data.addSeries(achieved.get(unit));
      renderer.setSeriesPaint(2 * i, c);
      renderer.setSeriesStroke(2 * i, new BasicStroke(2f));
      data.addSeries(roofs.get(unit));
      renderer.setSeriesPaint(2 * i + 1, c);
      renderer.setSeriesShapesVisible(2 * i + 1, false);
      renderer.setSeriesStroke(2 * i + 1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          new float[] {6f, 4f}, 0f));
      i++;
    }
    LogAxis x = new LogAxis("Op/B (FLOP per weight byte)");
    x.setBase(2);
    LogAxis y = new LogAxis("achieved TFLOPS");
    for (LogAxis a : new LogAxis[] {x, y}) {
      // One tick per power of the base, labelled with the plain value.
      a.setAutoTickUnitSelection(false);
      a.setTickUnit(new NumberTickUnit(1.0));
      a.setNumberFormatOverride(new DecimalFormat("0.##"));
    }
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 600);
  }
}
