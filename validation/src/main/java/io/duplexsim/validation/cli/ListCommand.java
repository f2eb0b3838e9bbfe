package io.duplexsim.validation.cli;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Standards;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.xpu.XpuConfig;
import io.duplexsim.units.device.Devices;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code duplexsim list ...}: what is bundled. A group, so more lists can be added as subcommands. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List what is bundled.",
    subcommands = {ListCommand.ListStandards.class, ListCommand.ListDevices.class, ListCommand.ListModels.class,
        ListSystemsCommand.class})
final class ListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "missing list; expected one of " + List.copyOf(spec.subcommands().keySet()));
  }

  /** {@code duplexsim list standards}. */
  @Command(
      name = "standards",
      mixinStandardHelpOptions = true,
      description = "List the memory standards --standard accepts: data rate, organisation per stack, peak "
          + "bandwidth per stack and where the numbers come from.")
  static final class ListStandards implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "RATE", "ORGANISATION PER STACK", "PEAK/STACK", "SOURCE"});
      for (String name : Standards.names()) {
        DramStandard s = Standards.load(name);
        rows.add(new String[] {name, rate(s), org(s.org()),
            String.format(Locale.ROOT, "%.1f GB/s", s.stackPeakGBps()), s.source()});
      }
      Table.print(out, rows, 2);
      out.flush();
      return 0;
    }

    private static String rate(DramStandard s) {
      return String.format(Locale.ROOT, "%.1f Gb/s", s.rateMbps() / 1000.0);
    }

    static String org(Organization o) {
      return o.channels() + " ch x " + o.pseudoChannels() + " pc, " + o.ranks() + (o.ranks() == 1 ? " rank, " : " ranks, ")
          + o.banksPerRank() + " banks (" + o.bankGroups() + " bg x " + o.banks() + ")";
    }
  }

  /** {@code duplexsim list devices}. */
  @Command(
      name = "devices",
      mixinStandardHelpOptions = true,
      description = "List the device presets --device accepts: memory (stacks x standard), units and their key "
          + "numbers, and where the numbers come from.")
  static final class ListDevices implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "MEMORY", "UNITS", "KEY NUMBERS", "SOURCE"});
      for (String name : Devices.names()) {
        DevicePreset d = Devices.load(name);
        String memory = d.stacks() + " x " + d.standard() + (d.timing().isEmpty() ? "" : " " + d.timing());
        rows.add(new String[] {name, memory, String.join(", ", d.units()), numbers(d),
            d.source()});
      }
      Table.print(out, rows, 2);
      out.flush();
      return 0;
    }

    static String numbers(DevicePreset d) {
      List<String> parts = new ArrayList<>();
      for (String unit : d.units()) {
        if (unit.equals("xpu")) {
          XpuConfig x = d.xpu();
          parts.add(String.format(Locale.ROOT, "xpu %.1f TFLOPS bf16, %d SMs x %d %dx%d arrays, %.0f MB L2, %d MHz",
              x.peakTflops(false), x.sms(), x.arraysPerSm(), x.arrayRows(), x.arrayCols(), x.l2MB(), x.clockMHz()));
        } else {
          DevicePreset.Pim p = d.nearMemoryUnits().get(unit);
          parts.add(String.format(Locale.ROOT, "%s %d MACs/pCH @ %d MHz, %d KB buf", unit, p.macsPerCycle(),
              p.clockMHz(), p.bufferBytes() / 1024));
        }
      }
      return String.join("; ", parts);
    }
  }

  /** {@code duplexsim list models}. */
  @Command(
      name = "models",
      mixinStandardHelpOptions = true,
      description = "List the bundled model presets (wherever a model is named, a Hugging Face config.json path "
          + "works too): shape, experts, parameters and BF16 KV-cache bytes per token.")
  static final class ListModels implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "LAYERS", "D_MODEL", "HEADS/KV", "D_HEAD", "FFN", "EXPERTS/TOP-K",
          "PARAMS TOTAL/ACTIVE", "KV B/TOKEN (BF16)"});
      for (String name : Models.names()) {
        rows.add(row(Models.preset(name)));
      }
      Table.print(out, rows, 2);
      out.flush();
      return 0;
    }

    static String[] row(ModelSpec m) {
      var a = m.attention();
      var mla = a.mla();
      var moe = m.moe();
      String heads = a.heads() + "/" + (mla != null ? "mla" : String.valueOf(a.kvHeads()));
      String dHead = mla != null ? mla.qkHeadDim() + "/" + mla.vHeadDim() : String.valueOf(a.headDim());
      String ffn = moe == null || moe.expertFfnSize() == m.ffnSize() ? String.valueOf(m.ffnSize())
          : m.ffnSize() + ", expert " + moe.expertFfnSize();
      String experts = moe == null ? "dense"
          : moe.experts() + (moe.sharedExperts() > 0 ? "+" + moe.sharedExperts() + " shared" : "") + "/" + moe.topK()
              + (moe.moeEvery() > 1 ? " every " + moe.moeEvery() + " blocks" : "")
              + (moe.firstDenseLayers() > 0 ? " after " + moe.firstDenseLayers() + " dense" : "");
      String params = billions(m.totalParams()) + (m.isMoe() ? " / " + billions(m.activeParams()) : "");
      return new String[] {m.name(), String.valueOf(m.layers()), String.valueOf(m.dModel()), heads, dHead, ffn,
          experts, params, String.format(Locale.ROOT, "%,d", (long) m.kvBytesPerToken(TensorFormat.BF16))};
    }

    private static String billions(long params) {
      double b = params / 1e9;
      return String.format(Locale.ROOT, b >= 10 ? "%.1fB" : "%.2fB", b);
    }
  }
}
