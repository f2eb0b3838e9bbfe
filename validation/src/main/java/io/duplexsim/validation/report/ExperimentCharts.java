package io.duplexsim.validation.report;

import io.duplexsim.validation.experiment.ExperimentResults;
import io.duplexsim.validation.experiment.RunResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SubCategoryAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.GroupedStackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.KeyToGroupMap;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The charts of a comparison, drawn from {@link ExperimentResults} alone (so {@code plot} redraws them from
 * results.json): bars grouped by point (the levels of the non-series axes), one bar per series (system)
 * in its {@link SystemColours} colour. Each chart is a PNG written atomically.
 */
public final class ExperimentCharts {
  /** A chart written: its file name in the output folder and a caption for the report. */
  public record Chart(String file, String caption) {}

  /** Energy categories in stacking order, DRAM under compute for each kind of layer. */
  private static final List<String> ENERGY_ORDER = List.of("fc.dram", "fc.compute", "attention.dram",
      "attention.compute", "moe.dram", "moe.compute", "communication", "other");
  private static final Map<String, Color> ENERGY_COLOURS = Map.of(
      "fc.dram", new Color(0x08519c), "fc.compute", new Color(0x9ecae1),
      "attention.dram", new Color(0x006d2c), "attention.compute", new Color(0xa1d99b),
      "moe.dram", new Color(0xa63603), "moe.compute", new Color(0xfdae6b),
      "communication", new Color(0x54278f), "other", new Color(0xbdbdbd));
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
  private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private final ExperimentResults results;
  private final Map<String, Color> colours;
  private final List<String> series;
  private final List<String> points;

  public ExperimentCharts(ExperimentResults results) {
    this.results = results;
    this.series = results.series();
    this.points = results.points();
    this.colours = SystemColours.assign(series);
  }

  /** Draws every chart into {@code dir}; returns them in report order. */
  public List<Chart> writeAll(Path dir) {
    List<Chart> charts = new ArrayList<>();
    String ref = results.reference();
    charts.add(write(dir, "throughput_normalised.png", "Generation throughput normalised to " + ref
        + " at each point (higher is better)", normalisedThroughput()));
    charts.add(write(dir, "throughput.png", "Generation throughput in output tokens per second",
        bars("Generation throughput", "output tokens / s", r -> r.number("throughput_tokens_per_s"))));
    charts.add(write(dir, "tbt.png", "Time between tokens (TBT) percentiles, per output token after the first",
        percentiles("Time between tokens", "tbt")));
    charts.add(write(dir, "ttft.png", "Time to first token (TTFT) percentiles, queueing included",
        percentiles("Time to first token", "ttft")));
    charts.add(write(dir, "e2e.png", "End-to-end request latency percentiles", percentiles("End-to-end latency",
        "e2e")));
    charts.add(write(dir, "energy_per_token.png", "Energy per output token by layer kind (FC, attention, MoE) and "
        + "where it is spent (DRAM access or compute), plus communication and other", energy()));
    charts.add(write(dir, "utilisation.png", "Busy time of each unit as a share of the run (per device, averaged)",
        utilisation()));
    return charts;
  }

  // ------------------------------------------------------------------------------------------- charts

  JFreeChart normalisedThroughput() {
    JFreeChart c = bars("Throughput normalised to " + results.reference(), "throughput / " + results.reference()
        + " throughput (x)", r -> results.normalised(r, "throughput_tokens_per_s"));
    CategoryPlot plot = c.getCategoryPlot();
    ValueMarker one = new ValueMarker(1.0, Color.BLACK, new BasicStroke(1f, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
    plot.addRangeMarker(one);
    BarRenderer r = (BarRenderer) plot.getRenderer();
    if (series.size() * points.size() <= 72) {
      r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0.00")));
      r.setDefaultItemLabelsVisible(true);
      r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      // Written upwards from the bar's top, so neighbouring labels never overlap.
      r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.CENTER_LEFT,
          TextAnchor.CENTER_LEFT, -Math.PI / 2));
    }
    return c;
  }

  JFreeChart bars(String title, String yLabel, java.util.function.ToDoubleFunction<RunResult> value) {
    CategoryPlot plot = barPlot(yLabel, value);
    plot.setDomainAxis(domainAxis());
    return chart(title, plot);
  }

  /** p50, p90 and p99 of a latency, one panel each over the same points. */
  JFreeChart percentiles(String title, String prefix) {
    CombinedDomainCategoryPlot combined = new CombinedDomainCategoryPlot(domainAxis());
    combined.setGap(18);
    for (String p : List.of("p50", "p90", "p99")) {
      String key = prefix + "_" + p + "_ms";
      combined.add(barPlot(p + " (ms)", r -> r.number(key)), 1);
    }
    combined.setFixedLegendItems(seriesLegend());
    return chart(title + " (p50, p90, p99)", combined);
  }

  /** Stacked energy per token: a stack per system within each point, a colour per energy category. */
  JFreeChart energy() {
    Set<String> categories = new TreeSet<>((a, b) -> {
      int ia = ENERGY_ORDER.indexOf(a);
      int ib = ENERGY_ORDER.indexOf(b);
      ia = ia < 0 ? ENERGY_ORDER.size() : ia;
      ib = ib < 0 ? ENERGY_ORDER.size() : ib;
      return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
    });
    results.runs().forEach(r -> categories.addAll(r.group("energy_breakdown").keySet()));
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    KeyToGroupMap groups = new KeyToGroupMap(series.isEmpty() ? "none" : series.get(0));
    List<String> rowKeys = new ArrayList<>();
    for (String s : series) {
      for (String cat : categories) {
        String key = s + " | " + cat;
        rowKeys.add(key);
        groups.mapKeyToGroup(key, s);
        for (String p : points) {
          RunResult r = results.find(p, s);
          Double v = r == null ? null : r.group("energy_breakdown").get(cat);
          data.addValue(v, key, p);
        }
      }
    }
    GroupedStackedBarRenderer renderer = new GroupedStackedBarRenderer();
    renderer.setSeriesToGroupMap(groups);
    styleBars(renderer);
    renderer.setItemMargin(0.06);
    LegendItemCollection legend = new LegendItemCollection();
    List<String> catList = new ArrayList<>(categories);
    for (int i = 0; i < rowKeys.size(); i++) {
      String cat = rowKeys.get(i).substring(rowKeys.get(i).indexOf(" | ") + 3);
      renderer.setSeriesPaint(i, energyColour(cat, catList.indexOf(cat)));
    }
    for (int i = 0; i < catList.size(); i++) {
      legend.add(new LegendItem(catList.get(i), energyColour(catList.get(i), i)));
    }
    SubCategoryAxis x = new SubCategoryAxis(domainLabel());
    series.forEach(x::addSubCategory);
    x.setSubLabelFont(TICKS);
    styleDomain(x);
    x.setCategoryMargin(0.12);
    CategoryPlot plot = new CategoryPlot(data, x, numberAxis("energy per output token (mJ)"), renderer);
    plot.setFixedLegendItems(legend);
    stylePlot(plot);
    // Horizontal, so that each stack's system name sits on its own line beside it.
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_LEFT);
    return chart("Energy per output token", plot);
  }

  /** One panel per unit kind (xpu, logic-pim, link, ...): its busy share for each system at each point. */
  JFreeChart utilisation() {
    // The xPU first, then the PIM units, then links and anything else.
    List<String> first = List.of("xpu", "logic-pim", "bank-pim", "link");
    Set<String> units = new TreeSet<>((a, b) -> {
      int ia = first.indexOf(a) < 0 ? first.size() : first.indexOf(a);
      int ib = first.indexOf(b) < 0 ? first.size() : first.indexOf(b);
      return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
    });
    results.runs().forEach(r -> units.addAll(r.group("unit_utilization").keySet()));
    CombinedDomainCategoryPlot combined = new CombinedDomainCategoryPlot(domainAxis());
    combined.setGap(18);
    for (String u : units) {
      CategoryPlot p = barPlot(u + " busy (%)", r -> {
        Double v = r.group("unit_utilization").get(u);
        return v == null ? Double.NaN : 100 * v;
      });
      ((NumberAxis) p.getRangeAxis()).setRange(0, 100);
      combined.add(p, 1);
    }
    combined.setFixedLegendItems(seriesLegend());
    return chart("Unit utilisation", combined);
  }

  // ------------------------------------------------------------------------------------------ helpers

  private CategoryPlot barPlot(String yLabel, java.util.function.ToDoubleFunction<RunResult> value) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (String s : series) {
      for (String p : points) {
        RunResult r = results.find(p, s);
        double v = r == null ? Double.NaN : value.applyAsDouble(r);
        data.addValue(Double.isNaN(v) ? null : v, s, p);
      }
    }
    BarRenderer renderer = new BarRenderer();
    styleBars(renderer);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, colours.get(series.get(i)));
    }
    CategoryPlot plot = new CategoryPlot(data, null, numberAxis(yLabel), renderer);
    stylePlot(plot);
    return plot;
  }

  private LegendItemCollection seriesLegend() {
    LegendItemCollection items = new LegendItemCollection();
    for (String s : series) {
      items.add(new LegendItem(s, colours.get(s)));
    }
    return items;
  }

  private static Paint energyColour(String category, int index) {
    Color c = ENERGY_COLOURS.get(category);
    return c != null ? c : Color.getHSBColor(index * 0.13f, 0.5f, 0.8f);
  }

  private String domainLabel() {
    List<String> axes = results.pointAxes();
    String label = axes.isEmpty() ? "" : String.join(", ", axes);
    return axes.contains("lengths") ? label.replace("lengths", "lengths (input:output tokens)") : label;
  }

  private CategoryAxis domainAxis() {
    CategoryAxis x = new CategoryAxis(domainLabel());
    styleDomain(x);
    return x;
  }

  private static void styleDomain(CategoryAxis x) {
    x.setLabelFont(AXIS);
    x.setTickLabelFont(TICKS);
    x.setMaximumCategoryLabelLines(2);
    x.setCategoryMargin(0.2);
    x.setLowerMargin(0.02);
    x.setUpperMargin(0.02);
  }

  private static NumberAxis numberAxis(String label) {
    NumberAxis y = new NumberAxis(label);
    y.setLabelFont(AXIS);
    y.setTickLabelFont(TICKS);
    y.setAutoRangeIncludesZero(true);
    y.setUpperMargin(0.12);
    return y;
  }

  private static void styleBars(BarRenderer r) {
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setDrawBarOutline(false);
    r.setItemMargin(0.03);
  }

  private static void stylePlot(CategoryPlot plot) {
    plot.setOrientation(PlotOrientation.VERTICAL);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xd0d0d0));
    plot.setRangeGridlinesVisible(true);
    plot.setOutlineVisible(false);
  }

  private JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
    JFreeChart c = new JFreeChart(title, TITLE, plot, true);
    c.setBackgroundPaint(Color.WHITE);
    if (!results.title().isEmpty()) {
      c.addSubtitle(new TextTitle(results.title(), SUBTITLE));
    }
    c.getLegend().setItemFont(TICKS);
    return c;
  }

  private int width() {
    return Math.max(900, 160 + points.size() * (series.size() * 18 + 30));
  }

  private Chart write(Path dir, String file, String caption, JFreeChart chart) {
    int height = chart.getPlot() instanceof CombinedDomainCategoryPlot cp ? 180 + 220 * cp.getSubplots().size() : 600;
    int w = width();
    if (chart.getPlot() instanceof CategoryPlot p && p.getOrientation() == PlotOrientation.HORIZONTAL) {
      height = Math.max(500, 200 + points.size() * (series.size() * 20 + 16));
      w = 1000;
    }
    int h = height;
    int width = w;
    AtomicFiles.writeBytes(dir.resolve(file), out -> ChartUtils.writeChartAsPNG(out, chart, width, h));
    return new Chart(file, caption);
  }

  /** The file names {@link #writeAll} writes, in order. */
  public static List<String> files() {
    return List.of("throughput_normalised.png", "throughput.png", "tbt.png", "ttft.png", "e2e.png",
        "energy_per_token.png", "utilisation.png");
  }

}
