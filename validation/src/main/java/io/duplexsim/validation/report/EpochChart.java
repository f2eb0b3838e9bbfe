package io.duplexsim.validation.report;

import io.duplexsim.memory.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A memory run over time, one step per epoch: its bandwidth under the pin peak (dashed), and its DRAM power
 * on a second axis.
 */
public final class EpochChart {
  private EpochChart() {}

  public static void write(String title, List<EpochStats.Epoch> epochs, long epochCycles, double tCKns, double peakGBps,
      Path png) {
    XYSeries bandwidth = new XYSeries("bandwidth (" + epochCycles + "-cycle epochs)", false, true); // steps: in order
    XYSeries peak = new XYSeries("pin peak");
    XYSeries power = new XYSeries("DRAM power", false, true);
    double epochUs = epochCycles * tCKns / 1000;
    for (EpochStats.Epoch e : epochs) {
      double start = e.startNs() / 1000;
      bandwidth.add(start, e.bandwidthGBps());
      bandwidth.add(start + epochUs, e.bandwidthGBps());
      power.add(start, e.powerW());
      power.add(start + epochUs, e.powerW());
    }
    double end = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).startNs() / 1000 + epochUs;
    peak.add(0, peakGBps);
    peak.add(end, peakGBps);
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(bandwidth);
    data.addSeries(peak);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0x1f77b4));
    renderer.setSeriesStroke(0, new BasicStroke(1.5f));
    renderer.setSeriesPaint(1, Color.GRAY);
    renderer.setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f));
    NumberAxis x = new NumberAxis("time (us)");
    NumberAxis y = new NumberAxis("GB/s");
    y.setLowerBound(0);
    y.setUpperBound(peakGBps * 1.08);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    NumberAxis watts = new NumberAxis("W");
    watts.setAutoRangeIncludesZero(true);
    plot.setRangeAxis(1, watts);
    plot.setDataset(1, new XYSeriesCollection(power));
    plot.mapDatasetToRangeAxis(1, 1);
    XYLineAndShapeRenderer powerRenderer = new XYLineAndShapeRenderer(true, false);
    powerRenderer.setSeriesPaint(0, new Color(0xd62728));
    powerRenderer.setSeriesStroke(0, new BasicStroke(1f));
    plot.setRenderer(1, powerRenderer);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFiles.writeBytes(png, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 500));
  }
}
