package io.duplexsim.validation.cli;

import io.duplexsim.memory.CommandObserver;
import io.duplexsim.memory.CommandTraceWriter;
import io.duplexsim.memory.EpochStats;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemoryResult;
import io.duplexsim.memory.MemorySimulation;
import io.duplexsim.memory.PseudoChannelStats;
import io.duplexsim.memory.energy.DramEnergy;
import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.TraceFormat;
import io.duplexsim.memory.mapping.AddressMapping;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Standards;
import io.duplexsim.sim.InputException;
import io.duplexsim.validation.report.EpochChart;
import io.duplexsim.validation.report.LatencyChart;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplexsim memory}: runs one trace or synthetic pattern through an HBM memory system. */
@Command(
    name = "memory",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run a request trace or a synthetic pattern through an HBM memory system and report bandwidth, "
            + "latency, row-buffer behaviour and energy.",
        "Give exactly one of --trace or --pattern (on the command line or in the --config file)."},
    footer = {
        "",
        "Config file (--config, YAML or JSON): keys are the flag names without the",
        "leading dashes, spelled with '-' or '_' (page_policy: closed), plus nested",
        "maps org: {banks: 4}, timing: {nRCDRD: 20} and energy: {...}. Flags given",
        "on the command line override the file. A relative trace path in the file",
        "is relative to the file's folder.",
        "",
        "Examples:",
        "  duplexsim memory --pattern stream --requests 100000",
        "  duplexsim memory --standard HBM3-6.4 --pattern mix --read-fraction 0.5 --json",
        "  duplexsim memory --trace dramsim3:run.trace --page-policy closed --check",
        "  duplexsim memory --config scenarios/memory-sample.yaml",
        "  duplexsim memory --pattern random --requests 1000000 --threads 2",
        "  duplexsim memory --pattern random --requests 1000000 --write-trace random.trace"})
final class MemoryCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", order = -1,
      description = "YAML or JSON file with the same settings; flags given here override it.")
  Path config;

  @Mixin
  MemorySettings flags;

  @Option(names = "--write-trace", paramLabel = "FILE",
      description = "Also write the run's requests to FILE as a Ramulator 2 LoadStore trace (dramsim3:FILE for "
          + "DRAMsim3's format, which needs a trace with issue cycles), so that another simulator can run the "
          + "very requests a pattern generated.")
  String writeTrace;

  /** Everything a run needs, validated before the simulation starts. */
  record Prepared(MemoryConfig config, DramStandard standard, RequestTrace trace, boolean json, int threads,
      boolean perChannel, EpochStats epochs, boolean printEpochs, Path epochChart, Path commandTrace,
      Path latencyChart) {}

  /**
   * Merges the config file (if any) under the flags and validates every setting: the standard and
   * its overrides, the address mapping, the energy overrides, the memory configuration, and the
   * workload (the trace is read in full).
   */
  static Prepared prepare(MemorySettings cli, Path configFile) {
    cli.applyOverrideFlags();
    return prepare(configFile == null ? cli : cli.over(MemorySettings.readFile(configFile)));
  }

  /** As {@link #prepare(MemorySettings, Path)}, for settings already merged (a memory sweep's run). */
  static Prepared prepare(MemorySettings s) {
    Checked checked = check(s);
    MemoryConfig config = checked.config();
    DramStandard standard = checked.standard();
    RequestTrace trace = s.workload(standard.org().accessBytes());
    EpochStats epochs = null;
    MemoryReportOptions r = s.report;
    if (r.epochCycles != null || r.epochChart != null) {
      epochs = new EpochStats(standard, DramEnergy.withOverrides(config.energyOverrides()), config.stacks(),
          r.epochCycles != null ? r.epochCycles : DEFAULT_CHART_EPOCH); // checks N > 0
    }
    return new Prepared(config, standard, trace, s.jsonOutput(), s.threadCount(), s.perChannelOutput(), epochs,
        r.epochCycles != null, pngFile("epoch-chart", r.epochChart), r.commandTrace != null ? Path.of(r.commandTrace)
        : null, pngFile("latency-chart", r.latencyChart));
  }

  @Override
  public Integer call() {
    Prepared p = prepare(flags, config);
    if (writeTrace != null) {
      TraceFormat.Spec out = TraceFormat.parse(writeTrace, TraceFormat.RAMULATOR.key());
      out.format().write(p.trace(), out.path());
    }
    CommandTraceWriter commands = p.commandTrace() == null ? null : new CommandTraceWriter(p.standard(), p.commandTrace());
    CommandObserver observer = both(p.epochs(), commands);
    MemoryResult result;
    try {
      result = observer == null ? MemorySimulation.run(p.config(), p.trace(), p.threads())
          : MemorySimulation.run(p.config(), p.trace(), observer, p.threads());
    } catch (RuntimeException e) {
      if (commands != null) {
        commands.abort();
      }
      throw e;
    }
    if (commands != null) {
      commands.finish();
    }
    List<EpochStats.Epoch> epochs = p.epochs() == null ? List.of() : p.epochs().epochs(result.cycles());
    String title = result.standard() + ": " + p.trace().name();
    if (p.epochChart() != null) {
      draw("epoch-chart", p.epochChart(), () -> EpochChart.write(title, epochs, p.epochs().epochCycles(),
          p.standard().tCKns(), result.peakGBps(), p.epochChart()));
    }
    if (p.latencyChart() != null) {
      draw("latency-chart", p.latencyChart(), () -> LatencyChart.write(title, result.readLatencyQuantilesNs(),
          p.latencyChart()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (p.json()) {
      Map<String, Object> metrics = result.toMap();
      if (p.perChannel()) {
        metrics.put("per_pseudo_channel", result.perPseudoChannelMaps());
      }
      if (p.printEpochs()) {
        metrics.put("epoch_cycles", p.epochs().epochCycles());
        metrics.put("epochs", epochs.stream().map(EpochStats.Epoch::toMap).toList());
      }
      out.println(Table.json(metrics));
    } else {
      Table.printMetrics(out, result.toMap());
      if (p.perChannel()) {
        printPerChannel(out, result);
      }
      if (p.printEpochs()) {
        printEpochs(out, epochs);
      }
    }
    out.flush();
    return 0;
  }

  /**
   * Checks everything but the workload's contents (which {@link #prepare} reads or generates): the
   * configuration, the standard and its overrides, the mapping and the energy overrides.
   */
  static Checked check(MemorySettings s) {
    s.requireOneWorkload();
    MemoryConfig config = s.toConfig();
    DramStandard standard = Standards.load(config.standard(), config.orgOverrides(), config.timingOverrides());
    AddressMapping.of(config.mapping(), standard.org(), config.stacks()); // unknown or malformed mapping name
    DramEnergy.withOverrides(config.energyOverrides()); // unknown energy key, negative value
    return new Checked(config, standard);
  }

  /** Settings that passed {@link #check}: the configuration and its standard with the overrides applied. */
  record Checked(MemoryConfig config, DramStandard standard) {}

  /** A chart file to write: null if not asked for; InputException naming {@code key} if it is a folder. */
  private static Path pngFile(String key, String name) {
    if (name == null) {
      return null;
    }
    Path file = Path.of(name);
    if (Files.isDirectory(file)) {
      throw new InputException(key + " '" + file + "' is a folder; expected a .png file to write");
    }
    return file;
  }

  /** Draws a chart; a file that cannot be written is an input error naming {@code key}. */
  private static void draw(String key, Path file, Runnable drawing) {
    try {
      drawing.run();
    } catch (UncheckedIOException e) {
      throw new InputException("cannot write " + key + " '" + file + "': " + e.getCause().getMessage());
    }
  }

  /** Both observers, either, or null for none. */
  private static CommandObserver both(CommandObserver a, CommandObserver b) {
    if (a == null || b == null) {
      return a != null ? a : b;
    }
    return (c, pc, cmd, r, g, bk, row, col) -> {
      a.onCommand(c, pc, cmd, r, g, bk, row, col);
      b.onCommand(c, pc, cmd, r, g, bk, row, col);
    };
  }

  /** Epoch length when only a chart is asked for. */
  static final long DEFAULT_CHART_EPOCH = 1000;

  /** One row per epoch, in the text output. */
  private static void printEpochs(PrintWriter out, List<EpochStats.Epoch> epochs) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"start ns", "GB/s", "reads", "writes", "ACT", "PRE", "REF", "W"});
    for (EpochStats.Epoch e : epochs) {
      rows.add(new String[] {Table.format(e.startNs()), Table.format(e.bandwidthGBps()), Long.toString(e.reads()),
          Long.toString(e.writes()), Long.toString(e.activates()), Long.toString(e.precharges()),
          Long.toString(e.refreshes()), Table.format(e.powerW())});
    }
    out.println();
    Table.print(out, rows, 2);
  }

  /** One row per pseudo-channel, in the text output. */
  private static void printPerChannel(PrintWriter out, MemoryResult result) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"pCH", "reads", "writes", "GB/s", "row hits", "misses", "conflicts", "avg read ns"});
    for (PseudoChannelStats c : result.perPseudoChannel()) {
      rows.add(new String[] {Integer.toString(c.pseudoChannel()), Long.toString(c.reads()), Long.toString(c.writes()),
          Table.format(c.bandwidthGBps()), Long.toString(c.rowHits()), Long.toString(c.rowMisses()),
          Long.toString(c.rowConflicts()), Table.format(c.avgReadLatencyNs())});
    }
    out.println();
    Table.print(out, rows, 2);
  }
}
