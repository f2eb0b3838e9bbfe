package io.duplexsim.validation.cli;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Softmax;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.nearmemory.NearMemoryAttention;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.xpu.XpuConfig;
import io.duplexsim.units.xpu.XpuAttention;
import io.duplexsim.units.xpu.XpuGemm;
import io.duplexsim.units.xpu.XpuSoftmax;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import io.duplexsim.units.nearmemory.NearMemorySoftmax;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplexsim op}: one operator on one unit of a device preset, simulated cycle by cycle. */
@Command(
    name = "op",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run one operator on one unit of a device preset and report cycles, time, throughput, bandwidth, "
            + "Op/B, the bound and energy.",
        "Simulated today on logic-pim, bankgroup-pim and bank-pim: gemm and gemv (Y[m,n] = X[m,k] W[k,n]; "
            + "--m --k --n), attention-decode (--batch --kv-len --heads [--kv-heads] --head-dim) and softmax "
            + "(--rows --length). attention-prefill is rejected there (Duplex runs it on the xPU). The xpu runs every "
            + "op (attention-prefill: --kv-len prompt tokens per request, causal). Nothing is estimated in place of "
            + "a simulation."},
    footer = {
        "",
        "Examples:",
        "  duplexsim op --device duplex --unit logic-pim --op gemv --k 4096 --n 4096 --dtype bf16",
        "  duplexsim op --device bank-pim --unit bank-pim --op gemm --m 4 --k 4096 --n 4096 --json",
        "  duplexsim op --device gpu --unit xpu --op gemm --m 2048 --k 4096 --n 4096",
        "  duplexsim op --device duplex --unit logic-pim --op attention-decode --batch 64 --kv-len 4096 "
            + "--heads 32 --kv-heads 8 --head-dim 128",
        "  duplexsim op --device duplex --unit logic-pim --op softmax --rows 64 --length 4096",
        "  duplexsim list devices"})
final class OpCommand implements Callable<Integer> {
  /** Ops the command knows, simulated or not. */
  static final List<String> OPS = List.of("gemm", "gemv", "attention-decode", "attention-prefill", "softmax");
  /** Largest m a gemv accepts. */
  static final int GEMV_MAX_M = 8;

  @Spec
  CommandSpec spec;

  @Option(names = "--device", required = true, paramLabel = "NAME", description = "Device preset (see 'list devices').")
  String device;

  @Option(names = "--unit", required = true, paramLabel = "UNIT",
      description = "Unit of the device: xpu, logic-pim, bank-pim or bankgroup-pim.")
  String unit;

  @Option(names = "--op", required = true, paramLabel = "OP",
      description = "Operator: gemm, gemv, attention-decode, attention-prefill or softmax.")
  String op;

  @Option(names = "--m", paramLabel = "M", description = "gemm/gemv: rows of X (batch); required for gemm, 1 by "
      + "default for gemv (at most " + GEMV_MAX_M + ").")
  Integer m;

  @Option(names = "--k", paramLabel = "K", description = "gemm/gemv: inner dimension.")
  Integer k;

  @Option(names = "--n", paramLabel = "N", description = "gemm/gemv: columns of W and Y.")
  Integer n;

  @Option(names = "--batch", paramLabel = "B", description = "attention: requests, one new token each.")
  Integer batch;

  @Option(names = "--kv-len", paramLabel = "L", description = "attention: keys per request (the new one included).")
  Integer kvLen;

  @Option(names = "--heads", paramLabel = "H", description = "attention: query heads.")
  Integer heads;

  @Option(names = "--kv-heads", paramLabel = "KVH", description = "attention: KV heads, a divisor of --heads "
      + "(GQA group = heads / kv-heads; default: --heads, i.e. multi-head attention).")
  Integer kvHeads;

  @Option(names = "--head-dim", paramLabel = "D", description = "attention: dimensions per head.")
  Integer headDim;

  @Option(names = "--rows", paramLabel = "R", description = "softmax: rows.")
  Integer rows;

  @Option(names = "--length", paramLabel = "L", description = "softmax: elements per row.")
  Integer length;

  @Option(names = "--dtype", defaultValue = "bf16", paramLabel = "FORMAT",
      description = "Weight or KV format: bf16, fp16, fp8, int8, fp32 or grouped like int4/g128/fp16 "
          + "(default ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  /** The operator to run, as the units take it. */
  sealed interface Work permits GemmWork, AttentionWork, SoftmaxWork {
    /** Shape fields for the output, in order. */
    Map<String, Object> shape();
  }

  record GemmWork(int m, int k, int n) implements Work {
    public Map<String, Object> shape() {
      return ordered("m", m, "k", k, "n", n);
    }
  }

  record AttentionWork(Attention attention) implements Work {
    public Map<String, Object> shape() {
      Attention a = attention;
      return ordered("batch", a.requests(), "kv_len", a.kvLengths().get(0), "heads", a.heads(), "kv_heads",
          a.kvHeads(), "head_dim", a.headDim());
    }
  }

  record SoftmaxWork(Softmax softmax) implements Work {
    public Map<String, Object> shape() {
      return ordered("rows", softmax.rows(), "length", softmax.cols());
    }
  }

  /** A validated request: exactly one of {@code nearMemory} and {@code xpu} is set, by the unit. */
  record Request(DevicePreset device, String unit, NearMemoryConfig nearMemory, XpuConfig xpu, String op, Work work,
      TensorFormat format) {}

  /** Ops the xPU simulates: all of them. */
  static final List<String> XPU_OPS = OPS;

  /** Validates every flag before anything is simulated; InputException on bad input. */
  Request prepare() {
    DevicePreset d = Devices.load(device);
    if (!DevicePreset.UNIT_NAMES.contains(unit)) {
      throw new InputException("unknown unit '" + unit + "'; expected one of " + DevicePreset.UNIT_NAMES);
    }
    if (!d.hasUnit(unit)) {
      throw new InputException("device '" + d.name() + "' has no unit '" + unit + "'; it has " + d.units());
    }
    if (!OPS.contains(op)) {
      throw new InputException("unknown op '" + op + "'; expected one of " + OPS);
    }
    XpuConfig xpu = unit.equals("xpu") ? d.xpuConfig().orElseThrow() : null;
    NearMemoryConfig config = xpu != null ? null : d.nearMemory(unit).orElseThrow(() -> new InputException(
        "unit '" + unit + "' is not simulated; simulated units: " + DevicePreset.UNIT_NAMES));
    if (xpu != null && !XPU_OPS.contains(op)) {
      throw new InputException("op '" + op + "' on the xpu is not simulated yet; the xpu simulates " + XPU_OPS);
    }
    TensorFormat format = format();
    Work work = switch (op) {
      case "gemm", "gemv" -> gemm();
      case "attention-decode" -> attentionDecode(format);
      case "attention-prefill" -> {
        if (xpu == null) {
          throw NearMemoryAttention.prefillRejected(unit);
        }
        yield attentionPrefill(format);
      }
      case "softmax" -> softmax(format);
      default -> throw new IllegalStateException(op);
    };
    return new Request(d, unit, config, xpu, op, work, format);
  }

  private GemmWork gemm() {
    only("--m", m, "--k", k, "--n", n);
    int rowsOfX;
    if (op.equals("gemv")) {
      rowsOfX = m == null ? 1 : positive("--m", m);
      if (rowsOfX > GEMV_MAX_M) {
        throw new InputException("--m must be at most " + GEMV_MAX_M + " for gemv, got " + rowsOfX + "; use --op gemm");
      }
    } else {
      rowsOfX = positive("--m", required("--m", m));
    }
    return new GemmWork(rowsOfX, positive("--k", required("--k", k)), positive("--n", required("--n", n)));
  }

  private AttentionWork attentionDecode(TensorFormat format) {
    return attention(format, AttentionPhase.DECODE);
  }

  /** Prefill: each request's --kv-len prompt tokens attend causally to themselves. */
  private AttentionWork attentionPrefill(TensorFormat format) {
    return attention(format, AttentionPhase.PREFILL);
  }

  private AttentionWork attention(TensorFormat format, AttentionPhase phase) {
    only("--batch", batch, "--kv-len", kvLen, "--heads", heads, "--kv-heads", kvHeads, "--head-dim", headDim);
    int b = positive("--batch", required("--batch", batch));
    int len = positive("--kv-len", required("--kv-len", kvLen));
    int h = positive("--heads", required("--heads", heads));
    int kvh = kvHeads == null ? h : positive("--kv-heads", kvHeads);
    if (h % kvh != 0) {
      throw new InputException("--kv-heads must divide --heads (" + h + "), got " + kvh);
    }
    int dim = positive("--head-dim", required("--head-dim", headDim));
    int[] queries = new int[b];
    int[] lengths = new int[b];
    Arrays.fill(queries, phase == AttentionPhase.PREFILL ? len : 1);
    Arrays.fill(lengths, len);
    return new AttentionWork(new Attention(0, Unit.parse(unit), IntSeq.empty(), IntSeq.of(queries), IntSeq.of(lengths),
        h, kvh, dim, true, phase, format, null));
  }

  private SoftmaxWork softmax(TensorFormat format) {
    only("--rows", rows, "--length", length);
    int r = positive("--rows", required("--rows", rows));
    int len = positive("--length", required("--length", length));
    return new SoftmaxWork(new Softmax(0, Unit.parse(unit), IntSeq.empty(), r, len, format));
  }

  /** Rejects shape flags that belong to other ops; {@code allowed} alternates names and values. */
  private void only(Object... allowed) {
    List<Object> ok = Arrays.asList(allowed);
    Object[][] all = {{"--m", m}, {"--k", k}, {"--n", n}, {"--batch", batch}, {"--kv-len", kvLen},
        {"--heads", heads}, {"--kv-heads", kvHeads}, {"--head-dim", headDim}, {"--rows", rows},
        {"--length", length}};
    for (Object[] flag : all) {
      if (flag[1] != null && !ok.contains(flag[0])) {
        throw new InputException(flag[0] + " does not apply to --op " + op);
      }
    }
  }

  private TensorFormat format() {
    try {
      return TensorFormat.parse(dtype);
    } catch (IllegalArgumentException e) {
      throw new InputException("--dtype: " + e.getMessage(), e);
    }
  }

  private int required(String flag, Integer v) {
    if (v == null) {
      throw new InputException(flag + " is required for --op " + op);
    }
    return v;
  }

  private static int positive(String flag, int v) {
    if (v <= 0) {
      throw new InputException(flag + " must be positive, got " + v);
    }
    return v;
  }

  /** Runs the request on its unit (prepare has matched the work to the op and the unit). */
  static OpResult simulate(Request r, MemoryConfig memory) {
    if (r.xpu() != null) {
      return switch (r.op()) {
        case "gemm", "gemv" -> {
          GemmWork g = (GemmWork) r.work();
          yield XpuGemm.run(r.xpu(), memory, g.m(), g.k(), g.n(), r.format());
        }
        case "attention-decode", "attention-prefill" ->
            XpuAttention.run(r.xpu(), memory, ((AttentionWork) r.work()).attention());
        case "softmax" -> XpuSoftmax.run(r.xpu(), memory, ((SoftmaxWork) r.work()).softmax());
        default -> throw new IllegalStateException("no simulation for op " + r.op());
      };
    }
    return switch (r.op()) {
      case "gemm", "gemv" -> {
        GemmWork g = (GemmWork) r.work();
        yield NearMemoryGemm.run(r.nearMemory(), memory, g.m(), g.k(), g.n(), r.format());
      }
      case "attention-decode" -> NearMemoryAttention.run(r.nearMemory(), memory, ((AttentionWork) r.work()).attention());
      case "softmax" -> NearMemorySoftmax.run(r.nearMemory(), memory, ((SoftmaxWork) r.work()).softmax());
      default -> throw new IllegalStateException("no simulation for op " + r.op());
    };
  }

  @Override
  public Integer call() {
    Request r = prepare();
    MemoryConfig memory = r.device().memoryConfig();
    long start = System.nanoTime();
    OpResult res = simulate(r, memory);
    double wall = (System.nanoTime() - start) / 1e9;
    Map<String, Object> metrics = toMap(r, res, wall);
    Table.print(spec.commandLine().getOut(), metrics, json);
    return 0;
  }

  static Map<String, Object> toMap(Request r, OpResult res, double wallSeconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unit", r.unit());
    m.put("op", r.op());
    m.put("device", r.device().name());
    m.putAll(r.work().shape());
    m.put("dtype", r.format().label());
    m.put("cycles", res.unitCycles());
    m.put("time_ns", res.timeNs());
    m.put("flops", res.flops());
    m.put("bytes", res.bytes());
    m.put("achieved_tflops", res.achievedTflops());
    m.put("achieved_GBps", res.achievedGBps());
    m.put("op_per_byte", res.opPerByte());
    m.put("bound", res.bound());
    m.put("energy_pJ", res.energyPj());
    m.put("energy_breakdown", new LinkedHashMap<>(res.energyBreakdownPj()));
    m.put("wall_s", wallSeconds);
    return m;
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
