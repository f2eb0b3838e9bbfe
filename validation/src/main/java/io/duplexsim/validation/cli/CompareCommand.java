package io.duplexsim.validation.cli;

import io.duplexsim.sim.InputException;
import io.duplexsim.validation.experiment.Axis;
import io.duplexsim.validation.experiment.ExperimentResults;
import io.duplexsim.validation.experiment.ExperimentRun;
import io.duplexsim.validation.experiment.LocalExecutor;
import io.duplexsim.validation.experiment.Progress;
import io.duplexsim.validation.experiment.RunGrid;
import io.duplexsim.validation.experiment.RunResult;
import io.duplexsim.validation.report.ExperimentReport;
import io.duplexsim.validation.run.ScenarioRunner;
import io.duplexsim.workloads.model.Models;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplexsim compare}: a grid of systems x batch sizes x sequence lengths, with charts and a report. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Serve the same workload on several systems over a grid of batch sizes and input:output lengths, and "
            + "write DIR/results.json, DIR/results.csv, charts (PNG) and DIR/report.html.",
        "Each point is a closed loop: --batch is max-num-seqs, a finished request is replaced at once, and "
            + "twice the batch of requests are served unless --requests is given. Throughput is normalised "
            + "to the first system."},
    footer = {"", "Example:",
        "  duplexsim compare --model mixtral-8x7b --systems gpu,2gpu,bank-pim,duplex,duplex-pe,duplex-pe-et "
            + "--batch 32,64,128 --lengths 256:256,1024:1024,4096:4096 --fidelity roofline --out out/compare"})
final class CompareCommand implements Callable<Integer> {
  /** Requests served per point when --requests is not given, as a multiple of the batch. */
  static final int REQUESTS_PER_BATCH = 2;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME|config.json", defaultValue = "mixtral-8x7b",
      description = "Model preset or Hugging Face config.json (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--systems", paramLabel = "LIST", defaultValue = "gpu,2gpu,bank-pim,duplex,duplex-pe,duplex-pe-et",
      description = "Systems to compare, the first being the reference (default: ${DEFAULT-VALUE}).")
  String systems;

  @Option(names = "--batch", paramLabel = "LIST", defaultValue = "32,64,128",
      description = "Batch sizes (max-num-seqs) (default: ${DEFAULT-VALUE}).")
  String batch;

  @Option(names = "--lengths", paramLabel = "LIST", defaultValue = "256:256,1024:1024,4096:4096",
      description = "INPUT:OUTPUT token lengths (default: ${DEFAULT-VALUE}).")
  String lengths;

  @Option(names = "--fidelity", paramLabel = "MODE", defaultValue = "memo",
      description = "cycle, memo or roofline (default: ${DEFAULT-VALUE}).")
  String fidelity;

  @Option(names = "--devices-per-node", paramLabel = "N", defaultValue = "4",
      description = "Devices per node of each system; 2gpu doubles it (default: ${DEFAULT-VALUE}).")
  String devicesPerNode;

  @Option(names = "--requests", paramLabel = "N",
      description = "Requests per point (default: " + REQUESTS_PER_BATCH + " x batch).")
  String requests;

  @Option(names = "--weight-format", paramLabel = "FMT", defaultValue = "bf16", description = "bf16, fp8, int8 or int4.")
  String weightFormat;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1")
  String seed;

  @Option(names = "--jobs", paramLabel = "N", description = "Runs in parallel (default: the number of cores).")
  Integer jobs;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  Path out;

  @Override
  public Integer call() {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("model", model);
    base.put("fidelity", fidelity);
    base.put("devices-per-node", devicesPerNode);
    base.put("weight-format", weightFormat);
    base.put("seed", seed);
    base.put("arrival", "closed");
    if (requests != null) {
      base.put("requests", requests);
    }
    RunGrid grid = RunGrid.of(base, List.of(systemAxis(systems), batchAxis(batch, requests == null),
        lengthsAxis(lengths)));
    List<ExperimentRun> runs = grid.runs();
    check(runs, out);
    int threads = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    if (threads < 1) {
      throw new InputException("--jobs must be a positive integer, got " + jobs);
    }
    PrintWriter err = spec.commandLine().getErr();
    err.printf(Locale.ROOT, "compare: %d runs (%d systems x %d batch sizes x %d lengths) at %s fidelity on %d "
        + "thread(s)%n", runs.size(), grid.axes().get(0).levels().size(), grid.axes().get(1).levels().size(),
        grid.axes().get(2).levels().size(), fidelity, Math.min(threads, runs.size()));
    err.flush();
    List<RunResult> done;
    try (Progress progress = Progress.forConsole("compare", runs.size(), err)) {
      done = new LocalExecutor(threads).execute(runs, progress);
    }
    ExperimentResults results = new ExperimentResults(title(runs.get(0)), commandLine(), grid.levels(), done);
    ExperimentReport.write(results, out);
    PrintWriter o = spec.commandLine().getOut();
    printSummary(o, results);
    o.println("wrote " + out.resolve("report.html"));
    o.flush();
    return 0;
  }

  /** Everything that can be checked before simulating, so bad input costs no simulation time. */
  static void check(List<ExperimentRun> runs, Path out) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new InputException("--out " + out + " exists and is not a folder");
    }
    ExperimentRun first = runs.get(0);
    Models.load(first.config().get("model")).requireCompilable();
    if (!ScenarioRunner.FIDELITIES.contains(first.config().get("fidelity"))) {
      throw new InputException("--fidelity: unknown '" + first.config().get("fidelity") + "'; expected one of "
          + ScenarioRunner.FIDELITIES);
    }
    io.duplexsim.validation.run.WeightFormats.parse("--weight-format", first.config().get("weight-format"));
    for (ExperimentRun r : runs) {
      ScenarioRunner.system(r.scenario());
    }
  }

  static Axis systemAxis(String text) {
    List<String> names = list("--systems", text);
    for (String s : names) {
      if (!ScenarioRunner.SYSTEMS.contains(s)) {
        throw new InputException("--systems: unknown system '" + s + "'; expected some of " + ScenarioRunner.SYSTEMS);
      }
    }
    List<Axis.Level> levels = new ArrayList<>();
    names.forEach(n -> levels.add(new Axis.Level(n, Map.of("system", n))));
    return renamed(levels, "system", "--systems");
  }

  /** Batch sizes; each sets max-num-seqs and, unless fixed, requests to a multiple of it. */
  static Axis batchAxis(String text, boolean scaleRequests) {
    List<Axis.Level> levels = new ArrayList<>();
    for (String b : list("--batch", text)) {
      int n = positive("--batch", b, b);
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("max-num-seqs", Integer.toString(n));
      if (scaleRequests) {
        settings.put("requests", Integer.toString(REQUESTS_PER_BATCH * n));
      }
      levels.add(new Axis.Level(Integer.toString(n), settings));
    }
    return renamed(levels, "batch", "--batch");
  }

  /** INPUT:OUTPUT pairs; each sets input-len and output-len. */
  static Axis lengthsAxis(String text) {
    List<Axis.Level> levels = new ArrayList<>();
    for (String l : list("--lengths", text)) {
      String[] io = l.split(":", -1);
      if (io.length != 2) {
        throw new InputException("--lengths: expected INPUT:OUTPUT token counts such as 1024:256, got '" + l + "'");
      }
      int in = positive("--lengths", io[0], l);
      int outLen = positive("--lengths", io[1], l);
      levels.add(new Axis.Level(in + ":" + outLen, Map.of("input-len", Integer.toString(in), "output-len",
          Integer.toString(outLen))));
    }
    return renamed(levels, "lengths", "--lengths");
  }

  /** Builds the axis, reporting a duplicate level under the flag's name. */
  private static Axis renamed(List<Axis.Level> levels, String name, String flag) {
    try {
      return new Axis(name, levels);
    } catch (InputException e) {
      throw new InputException(flag + ": " + e.getMessage().substring(e.getMessage().indexOf(':') + 2), e);
    }
  }

  private static List<String> list(String flag, String text) {
    List<String> items = new ArrayList<>();
    for (String s : text.split(",", -1)) {
      String t = s.trim();
      if (t.isEmpty()) {
        throw new InputException(flag + ": expected a comma-separated list with no empty entries, got '" + text + "'");
      }
      items.add(t);
    }
    return items;
  }

  private static int positive(String flag, String number, String entry) {
    try {
      int n = Integer.parseInt(number.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputException(flag + ": expected positive integers, got '" + entry + "'");
  }

  private String title(ExperimentRun run) {
    int perNode = Integer.parseInt(run.config().get("devices-per-node"));
    return String.format(Locale.ROOT, "%s, %d device%s per node, %s fidelity, closed loop, %s",
        model.endsWith(".json") ? Path.of(model).getFileName().toString() : model, perNode,
        perNode == 1 ? "" : "s", fidelity, requests == null ? "requests = " + REQUESTS_PER_BATCH + " x batch"
            : requests + " requests");
  }

  private String commandLine() {
    List<String> parts = new ArrayList<>(List.of("duplexsim"));
    parts.addAll(spec.commandLine().getParseResult().originalArgs());
    return String.join(" ", parts);
  }

  private static void printSummary(PrintWriter o, ExperimentResults results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"system", "batch, lengths", "tokens/s", "vs " + results.reference(), "TBT p50 ms",
        "TTFT p50 ms", "mJ/token"});
    for (RunResult r : results.runs()) {
      rows.add(new String[] {results.seriesOf(r), results.pointOf(r),
          String.format(Locale.ROOT, "%.1f", r.number("throughput_tokens_per_s")),
          String.format(Locale.ROOT, "%.3f", results.normalised(r, "throughput_tokens_per_s")),
          String.format(Locale.ROOT, "%.3f", r.number("tbt_p50_ms")),
          String.format(Locale.ROOT, "%.2f", r.number("ttft_p50_ms")),
          String.format(Locale.ROOT, "%.3f", r.number("energy_per_token_mJ"))});
    }
    Table.print(o, rows, 2);
  }
}
