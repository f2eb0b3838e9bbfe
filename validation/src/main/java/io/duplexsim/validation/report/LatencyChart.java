package io.duplexsim.validation.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The cumulative distribution of a memory run's read latency: the share of reads done within each latency. */
public final class LatencyChart {
  private LatencyChart() {}

  /** {@code quantilesNs.get(i)} is the latency below which the share {@code i / (size - 1)} of reads finished. */
  public static void write(String title, List<Double> quantilesNs, Path png) {
    XYSeries cdf = new XYSeries("reads", false, true);
    int steps = quantilesNs.size() - 1;
    for (int i = 0; i <= steps; i++) {
      cdf.add(quantilesNs.get(i).doubleValue(), 100.0 * i / steps);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0x1f77b4));
    renderer.setSeriesStroke(0, new BasicStroke(2f));
    NumberAxis x = new NumberAxis("read latency (ns)");
    x.setAutoRangeIncludesZero(true);
    NumberAxis y = new NumberAxis("reads done within it (%)");
    y.setRange(0, 100);
    XYPlot plot = new XYPlot(new XYSeriesCollection(cdf), x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFiles.writeBytes(png, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 500));
  }
}
