package io.duplexsim.validation.sweep;

import io.duplexsim.sim.InputException;
import io.duplexsim.validation.report.AtomicFiles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * One metric of a sweep as grouped bars: a group per value of the first varied field, a bar per
 * combination of the others (one colour each), every finished run once.
 */
public final class SweepChart {
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

  private SweepChart() {}

  /**
   * Draws {@code metric} of the finished runs among {@code points} to {@code png}. InputException (naming
   * the metrics there are) when no finished run has it as a number.
   */
  public static void write(String title, List<SweepPoint> points, Function<SweepPoint, Map<String, String>> metrics,
      String metric, Path png) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    TreeSet<String> known = new TreeSet<>();
    boolean any = false;
    for (SweepPoint p : points) {
      Map<String, String> m = metrics.apply(p);
      if (m == null) {
        continue;
      }
      m.forEach((k, x) -> {
        if (number(x) != null) {
          known.add(k);
        }
      });
      Double v = number(m.get(metric));
      if (v == null) {
        continue;
      }
      any = true;
      List<String> fields = List.copyOf(p.params().keySet());
      String group = p.params().get(fields.get(0));
      StringJoiner series = new StringJoiner(" ");
      for (String f : fields.subList(1, fields.size())) {
        series.add(f + "=" + p.params().get(f));
      }
      data.addValue(v, series.length() == 0 ? metric : series.toString(), group);
    }
    if (!any) {
      throw new InputException("--chart " + metric + ": no finished run has that number; they have " + known);
    }
    JFreeChart chart = ChartFactory.createBarChart(title, points.get(0).params().keySet().iterator().next(), metric, data,
        PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    for (int i = 0; i < data.getRowCount(); i++) {
      renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
    }
    AtomicFiles.writeBytes(png, out -> ChartUtils.writeChartAsPNG(out, chart, 1000, 550));
  }

  private static Double number(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
