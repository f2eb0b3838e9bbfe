package io.duplexsim.validation.cli;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.isa.trace.TraceJsonl;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.compiler.BatchSpec;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.ExpertRouter;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.compiler.RooflineCostOracle;
import io.duplexsim.workloads.compiler.Strategy;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplexsim compile}: one iteration of a model on a system, as each device's instruction trace. */
@Command(
    name = "compile",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Compile one serving iteration (a batch of decode and prefill requests) of a model for a system and a "
            + "mapping strategy, and write each device's instruction trace as JSON lines, with a one-line summary "
            + "per device (instructions, and FLOPs and bytes per unit).",
        "Without --out the traces go to standard output one after another (each starts with its header line) "
            + "and the summaries to standard error."},
    footer = {
        "",
        "Examples:",
        "  duplexsim compile --system duplex-1x4 --model mixtral-8x7b --strategy duplex --batch decode:32x1024,prefill:1x512",
        "  duplexsim compile --system gpu-1x4 --model llama-3-70b --strategy gpu --batch decode:64x2048 --weights int4 --out out/trace",
        "  duplexsim compile --system duplex-1x8 --model glam --strategy duplex-pe --batch decode:64x512 --router zipf:1.1:7"})
final class CompileCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--system", required = true, paramLabel = "NAME", description = "System preset (see 'list systems').")
  String system;

  @Option(names = "--model", required = true, paramLabel = "NAME|CONFIG.json",
      description = "Model preset (see 'list models') or a Hugging Face config.json.")
  String model;

  @Option(names = "--strategy", required = true, paramLabel = "NAME",
      description = "gpu, duplex, duplex-pe, duplex-pe-et or bank-pim (2xGPU: gpu on a system with twice the devices).")
  String strategy;

  @Option(names = "--batch", required = true, paramLabel = "GROUPS",
      description = "Comma-separated decode:NxKV and prefill:NxCHUNK[+PRIOR] groups, e.g. decode:32x1024,prefill:1x512.")
  String batch;

  @Option(names = "--weights", defaultValue = "bf16", paramLabel = "FORMAT",
      description = "Linear-layer weights: bf16, fp16, fp8 (W8A8), int8 (W8A8) or int4 (W4A16, group 128). Default bf16.")
  String weights;

  @Option(names = "--router", defaultValue = "uniform:1", paramLabel = "SPEC",
      description = "Expert choices: uniform[:SEED], zipf:EXPONENT[:SEED] or csv:PATH (lines 'layer,e1,...,ek'). "
          + "Default uniform:1.")
  String router;

  @Option(names = "--out", paramLabel = "DIR", description = "Write DIR/device-<d>.jsonl instead of standard output.")
  Path out;

  /** The accepted --weights names: the format's own name or the short one the serving flags use. */
  static WeightFormat weightFormat(String name) {
    return io.duplexsim.validation.run.WeightFormats.parse(name);
  }

  @Override
  public Integer call() {
    SystemPreset s = Systems.load(system);
    ModelSpec m = Models.load(model);
    Strategy st = Strategy.parse(strategy);
    WeightFormat w = weightFormat(weights);
    IterationBatch b = BatchSpec.parse(batch);
    ExpertRouter r = ExpertRouter.parse(router);
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      throw new InputException("--out " + out + " exists and is not a folder");
    }
    LayerCompiler compiler = new LayerCompiler(r, RooflineCostOracle.nominal(s.device(), w));
    CompiledIteration c = compiler.compile(m, s, st, w, b);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter summaries = out == null ? spec.commandLine().getErr() : stdout;
    try {
      if (out != null) {
        Files.createDirectories(out);
      }
      for (int d = 0; d < c.devices().size(); d++) {
        InstructionTrace t = c.devices().get(d);
        if (out == null) {
          TraceJsonl.write(t, stdout);
        } else {
          TraceJsonl.write(t, out.resolve("device-" + d + ".jsonl"));
        }
        stdout.flush();
        summaries.println(summary(d, t));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out != null) {
      stdout.println("wrote " + c.devices().size() + " traces to " + out);
    }
    stdout.flush();
    summaries.flush();
    return 0;
  }

  /** "device 0: N instructions; xpu F flops B bytes; logic-pim ...", units in enum order. */
  static String summary(int device, InstructionTrace t) {
    Map<Unit, long[]> perUnit = new EnumMap<>(Unit.class);
    for (Instruction ins : t.instructions()) {
      long[] a = perUnit.computeIfAbsent(ins.unit(), u -> new long[3]);
      a[0]++;
      a[1] += ins.flops();
      a[2] += ins.bytes();
    }
    StringBuilder sb = new StringBuilder("device " + device + ": " + t.size() + " instructions");
    perUnit.forEach((u, a) -> sb.append(String.format(Locale.ROOT, "; %s %d instructions %.4g flops %.4g bytes",
        u.label(), a[0], (double) a[1], (double) a[2])));
    return sb.toString();
  }
}
