package io.duplexsim.validation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.duplexsim.sim.InputException;
import io.duplexsim.validation.run.Scenario;
import io.duplexsim.validation.run.ScenarioRunner;
import io.duplexsim.validation.sweep.LocalExecutor;
import io.duplexsim.validation.sweep.SweepChart;
import io.duplexsim.validation.sweep.SweepExecutor;
import io.duplexsim.validation.sweep.SweepPlan;
import io.duplexsim.validation.sweep.SweepPoint;
import io.duplexsim.validation.sweep.SweepProgress;
import io.duplexsim.validation.sweep.SweepResults;
import io.duplexsim.validation.sweep.SweepRunner;
import io.duplexsim.validation.sweep.SweepSpec;
import io.duplexsim.workloads.serving.ServingResult;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code duplexsim sweep}: the cross product of scenario and hardware fields, run in parallel. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run the cross product of the fields a sweep file varies - scenario keys (system, max-num-seqs, input-len, "
            + "weight-format, a policy's keys...) and hardware parameters of the device preset (device.pim.macs, "
            + "device.standard, device.stacks, device.tsvPimWidth, device.xpu.sms, device.timing.nCCDAB...) - on the "
            + "local cores.",
        "Each finished run is appended at once to DIR/sweep.jsonl (its fields, scenario and results); DIR/sweep.csv "
            + "(one row per run) is rewritten at the end. A killed sweep loses no finished run: --resume runs only "
            + "the rest."},
    footer = {"", "Sweep file:",
        "  base: ../mixtral-duplex.yaml        # a scenario file (relative to this one), or a map of scenario keys",
        "  vary:",
        "    device.pim.macs: [256, 512, 1024]",
        "    device.standard: [HBM3-5.2, HBM3-6.4]",
        "", "Memory sweep file (each run is `duplexsim memory` with the run's keys):",
        "  memory: {pattern: random, requests: 200000}   # or a memory config file",
        "  vary:",
        "    mapping: [RoRaBaCoBgCh, RoBaRaCoCh]",
        "    timing.nRCDRD: [19, 24]",
        "", "Example:",
        "  duplexsim sweep scenarios/sweeps/duplex-macs-x-hbm.yaml --jobs 2 --out out/macs-x-hbm",
        "  duplexsim sweep scenarios/sweeps/memory-mapping-x-policy.yaml --chart bandwidth_GBps --out out/mem"})
final class SweepCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SWEEP", description = "Sweep YAML file (keys: base, vary).")
  Path file;

  @Option(names = "--jobs", paramLabel = "N", description = "Runs at once (default: the available processors, ${DEFAULT-VALUE}).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--resume", description = "Continue the sweep in DIR: skip the runs already in sweep.jsonl.")
  boolean resume;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: sweep-results/<sweep file name>).")
  Path out;

  @Option(names = "--chart", paramLabel = "METRIC",
      description = "Also draw this result metric (a sweep.csv column, e.g. throughput_tokens_per_s or bandwidth_GBps) as "
          + "grouped bars to DIR/sweep-METRIC.png: a group per value of the first varied field (repeatable).")
  List<String> charts = new ArrayList<>();

  @Override
  public Integer call() {
    if (jobs <= 0) {
      throw new InputException("--jobs must be a positive integer, got " + jobs);
    }
    if (!Files.isRegularFile(file)) {
      throw new InputException("sweep file " + file + " does not exist");
    }
    JsonNode root = MemorySettings.readTree(file);
    SweepPlan sweep;
    SweepExecutor.Worker worker;
    if (MemorySweep.isMemorySweep(root)) {
      MemorySweep memory = MemorySweep.read(file, root);
      sweep = memory;
      worker = memory::runOne;
    } else {
      sweep = SweepSpec.read(file);
      worker = SweepCommand::runOne;
    }
    Path dir = out != null ? out
        : Path.of("sweep-results", file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
    PrintWriter err = spec.commandLine().getErr();
    SweepRunner.Summary summary;
    List<Path> drawn = new ArrayList<>();
    try (SweepResults results = SweepResults.open(dir, sweep, resume)) {
      if (results.droppedLines() > 0) {
        err.printf(Locale.ROOT, "sweep: dropped %d incomplete line(s) of %s%n", results.droppedLines(),
            dir.resolve(SweepResults.JSONL));
      }
      int total = sweep.points().size();
      int done = (int) sweep.points().stream().filter(results::isDone).count();
      try (SweepProgress progress = SweepProgress.forConsole(err, total, done)) {
        summary = SweepRunner.run(sweep, new LocalExecutor(jobs), worker, results, progress);
      }
      for (String metric : charts) {
        Path png = dir.resolve("sweep-" + metric.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
        SweepChart.write(file.getFileName() + ": " + metric, sweep.points(), results::metrics, metric, png);
        drawn.add(png);
      }
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "%d runs (%d already done, %d run now) -> %s, %s%n", summary.total(), summary.resumed(),
        summary.ran(), dir.resolve(SweepResults.JSONL), dir.resolve(SweepResults.CSV));
    for (Path png : drawn) {
      o.println("chart -> " + png);
    }
    o.flush();
    return 0;
  }

  /** One run: the metrics `duplexsim run --json` prints, less the wall time (kept beside them). */
  static Map<String, Object> runOne(SweepPoint point, Map<String, String> values) {
    Scenario s = Scenario.of(values);
    ServingResult result = ScenarioRunner.run(s);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", s.system());
    m.put("model", s.model());
    var built = ScenarioRunner.system(s).system();
    m.put("device", built.device().name());
    m.put("devices", built.devices());
    m.putAll(result.toJson());
    return m;
  }
}
