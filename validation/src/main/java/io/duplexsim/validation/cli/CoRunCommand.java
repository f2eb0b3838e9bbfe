package io.duplexsim.validation.cli;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.device.CoRun;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.xpu.XpuConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code duplexsim corun}: an xPU GEMM and a near-memory GEMM on one device, each alone and both at
 * once, cycle by cycle through the same controllers: what Duplex's co-processing costs each unit.
 */
@Command(
    name = "corun",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run an xPU GEMM and a near-memory GEMM on one device alone and together (cycle-level, the same "
            + "pseudo-channel controllers) and report each one's time both ways.",
        "By default their data sit in different bank bundles, as Duplex places them (rank-major mapping); "
            + "--shared-banks spreads both over all banks, as a GPU maps its data (RoRaBaCoBgCh-xor)."},
    footer = {
        "",
        "Examples:",
        "  duplexsim corun --device duplex --xpu-gemm 24x4096x14336 --pim-gemm 8x4096x14336",
        "  duplexsim corun --device duplex --xpu-gemm 24x4096x14336 --pim-gemm 8x4096x14336 --shared-banks --json"})
final class CoRunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--device", defaultValue = "duplex", paramLabel = "NAME",
      description = "Device preset with an xPU and a near-memory unit (default duplex).")
  String device;

  @Option(names = "--unit", defaultValue = "logic-pim", paramLabel = "UNIT",
      description = "The near-memory unit: logic-pim (default), bankgroup-pim or bank-pim.")
  String unit;

  @Option(names = "--xpu-gemm", required = true, paramLabel = "MxKxN", description = "The xPU's GEMM shape.")
  String xpuGemm;

  @Option(names = "--pim-gemm", required = true, paramLabel = "MxKxN", description = "The near-memory GEMM's shape.")
  String pimGemm;

  @Option(names = "--shared-banks", description = "Both units' data over all banks, as a GPU maps them.")
  boolean sharedBanks;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    DevicePreset d = Devices.load(device);
    XpuConfig xpu = d.xpuConfig().orElseThrow(() -> new InputException("--device: '" + device + "' has no xpu"));
    NearMemoryConfig pim = d.nearMemory(unit).orElseThrow(() -> new InputException("--unit: device '" + device
        + "' has no " + unit + " (it has " + d.units() + ")"));
    CoRun.Shape xs = shape("--xpu-gemm", xpuGemm);
    CoRun.Shape ps = shape("--pim-gemm", pimGemm);
    boolean separate = !sharedBanks;
    var mem = d.memoryConfig();
    CoRun.Result xAlone = CoRun.run(xpu, pim, mem, xs, null, TensorFormat.BF16, separate);
    CoRun.Result pAlone = CoRun.run(xpu, pim, mem, null, ps, TensorFormat.BF16, separate);
    CoRun.Result both = CoRun.run(xpu, pim, mem, xs, ps, TensorFormat.BF16, separate);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device", device);
    m.put("unit", unit);
    m.put("layout", separate ? "bundles" : "shared-banks");
    m.put("xpu_gemm", xpuGemm);
    m.put("pim_gemm", pimGemm);
    m.put("xpu_alone_us", xAlone.xpu().timeNs() / 1e3);
    m.put("xpu_corun_us", both.xpu().timeNs() / 1e3);
    m.put("xpu_slowdown", both.xpu().timeNs() / xAlone.xpu().timeNs());
    m.put("pim_alone_us", pAlone.nearMemory().timeNs() / 1e3);
    m.put("pim_corun_us", both.nearMemory().timeNs() / 1e3);
    m.put("pim_slowdown", both.nearMemory().timeNs() / pAlone.nearMemory().timeNs());
    m.put("together_us", both.makespanNs() / 1e3);
    m.put("energy_uJ", both.energyPj() / 1e6);
    Table.print(spec.commandLine().getOut(), m, json);
    return 0;
  }

  private static CoRun.Shape shape(String option, String text) {
    String[] p = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      if (p.length == 3) {
        int m = Integer.parseInt(p[0]);
        int k = Integer.parseInt(p[1]);
        int n = Integer.parseInt(p[2]);
        if (m > 0 && k > 0 && n > 0) {
          return new CoRun.Shape(m, k, n);
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new InputException(option + ": expected MxKxN with positive integers (e.g. 24x4096x14336), got '" + text + "'");
  }
}
