package io.duplexsim.validation.cli;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
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
 * {@code duplexsim corun}: an xPU op and a near-memory op (each a GEMM or an attention) on one device,
 * each alone and both at once, cycle by cycle through the same controllers: what Duplex's
 * co-processing costs each unit.
 */
@Command(
    name = "corun",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run an xPU op and a near-memory op (each a GEMM or an attention) on one device alone and together "
            + "(cycle-level, the same pseudo-channel controllers) and report each one's time both ways.",
        "By default their data sit in different bank bundles, as Duplex places them (rank-major mapping); "
            + "--shared-banks spreads both over all banks, as a GPU maps its data (RoRaBaCoBgCh-xor)."},
    footer = {
        "",
        "Examples:",
        "  duplexsim corun --device duplex --xpu-gemm 24x4096x14336 --pim-gemm 8x4096x14336",
        "  duplexsim corun --device duplex --xpu-gemm 24x4096x14336 --pim-gemm 8x4096x14336 --shared-banks --json",
        "  duplexsim corun --device duplex --xpu-attention 2x1024x1024 --pim-attention 62x1536 --json"})
final class CoRunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--device", defaultValue = "duplex", paramLabel = "NAME",
      description = "Device preset with an xPU and a near-memory unit (default duplex).")
  String device;

  @Option(names = "--unit", defaultValue = "logic-pim", paramLabel = "UNIT",
      description = "The near-memory unit: logic-pim (default), bankgroup-pim or bank-pim.")
  String unit;

  @Option(names = "--xpu-gemm", paramLabel = "MxKxN", description = "The xPU's GEMM shape.")
  String xpuGemm;

  @Option(names = "--xpu-attention", paramLabel = "RxQxL",
      description = "Instead of a GEMM: attention on the xPU (fused kernel) for R requests of Q new tokens each "
          + "against L keys (Q > 1: prefill, causal; Q = 1: decode).")
  String xpuAttention;

  @Option(names = "--pim-gemm", paramLabel = "MxKxN", description = "The near-memory GEMM's shape.")
  String pimGemm;

  @Option(names = "--pim-attention", paramLabel = "RxL",
      description = "Instead of a GEMM: decode attention on the near-memory unit, R requests against L keys each.")
  String pimAttention;

  @Option(names = "--heads", defaultValue = "32", paramLabel = "H", description = "Attention: query heads (default 32).")
  int heads;

  @Option(names = "--kv-heads", defaultValue = "8", paramLabel = "KVH",
      description = "Attention: KV heads, a divisor of --heads (default 8, Mixtral's).")
  int kvHeads;

  @Option(names = "--head-dim", defaultValue = "128", paramLabel = "D", description = "Attention: dimensions per head.")
  int headDim;

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
    CoRun.Op xs = op("--xpu-gemm", xpuGemm, "--xpu-attention", xpuAttention, Unit.XPU, 3);
    CoRun.Op ps = op("--pim-gemm", pimGemm, "--pim-attention", pimAttention, Unit.parse(unit), 2);
    boolean separate = !sharedBanks;
    var mem = d.memoryConfig();
    CoRun.Result xAlone = CoRun.run(xpu, pim, mem, xs, null, separate);
    CoRun.Result pAlone = CoRun.run(xpu, pim, mem, null, ps, separate);
    CoRun.Result both = CoRun.run(xpu, pim, mem, xs, ps, separate);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device", device);
    m.put("unit", unit);
    m.put("layout", separate ? "bundles" : "shared-banks");
    m.put(xpuGemm != null ? "xpu_gemm" : "xpu_attention", xpuGemm != null ? xpuGemm : xpuAttention);
    m.put(pimGemm != null ? "pim_gemm" : "pim_attention", pimGemm != null ? pimGemm : pimAttention);
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

  /** The op one unit runs: exactly one of its GEMM and attention options. */
  private CoRun.Op op(String gemmOption, String gemm, String attentionOption, String attention, Unit on, int parts) {
    if ((gemm == null) == (attention == null)) {
      throw new InputException("give one of " + gemmOption + " and " + attentionOption);
    }
    if (gemm != null) {
      return CoRun.Op.gemm(shape(gemmOption, gemm), TensorFormat.BF16);
    }
    int[] v = dims(attentionOption, attention, parts, parts == 3 ? "RxQxL (e.g. 2x1024x1024)" : "RxL (e.g. 62x1536)");
    int requests = v[0];
    int query = parts == 3 ? v[1] : 1;
    int keys = v[parts - 1];
    if (query > keys) {
      throw new InputException(attentionOption + ": the new tokens Q are among the L keys, so Q <= L; got '"
          + attention + "'");
    }
    if (heads <= 0 || kvHeads <= 0 || headDim <= 0 || heads % kvHeads != 0) {
      throw new InputException("--heads, --kv-heads, --head-dim: positive, with --kv-heads dividing --heads; got "
          + heads + ", " + kvHeads + ", " + headDim);
    }
    int[] q = new int[requests];
    int[] kv = new int[requests];
    java.util.Arrays.fill(q, query);
    java.util.Arrays.fill(kv, keys);
    return CoRun.Op.attention(new Attention(0, on, IntSeq.empty(), IntSeq.of(q), IntSeq.of(kv), heads, kvHeads,
        headDim, true, query > 1 ? AttentionPhase.PREFILL : AttentionPhase.DECODE, TensorFormat.BF16, null));
  }

  /** {@code parts} positive integers joined by x. */
  private static int[] dims(String option, String text, int parts, String expected) {
    String[] p = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      if (p.length == parts) {
        int[] v = new int[parts];
        for (int i = 0; i < parts; i++) {
          v[i] = Integer.parseInt(p[i]);
          if (v[i] <= 0) {
            throw new NumberFormatException();
          }
        }
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new InputException(option + ": expected " + expected + " with positive integers, got '" + text + "'");
  }

  private static CoRun.Shape shape(String option, String text) {
    int[] v = dims(option, text, 3, "MxKxN (e.g. 24x4096x14336)");
    return new CoRun.Shape(v[0], v[1], v[2]);
  }
}
