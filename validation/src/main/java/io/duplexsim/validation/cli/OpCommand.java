package io.duplexsim.validation.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
        "Run one operator (Y[m,n] = X[m,k] W[k,n]) on one unit of a device preset and report cycles, time, "
            + "throughput, bandwidth, Op/B, the bound and energy.",
        "Simulated today: gemm and gemv on logic-pim and bank-pim. Other units and ops are rejected "
            + "rather than estimated."},
    footer = {
        "",
        "Examples:",
        "  duplexsim op --device duplex --unit logic-pim --op gemv --k 4096 --n 4096 --dtype bf16",
        "  duplexsim op --device bank-pim --unit bank-pim --op gemm --m 4 --k 4096 --n 4096 --json",
        "  duplexsim list devices"})
final class OpCommand implements Callable<Integer> {
  /** Ops the command knows, simulated or not. */
  static final List<String> OPS = List.of("gemm", "gemv", "attention-decode", "attention-prefill", "softmax");
  /** Ops simulated today. */
  static final List<String> SIMULATED_OPS = List.of("gemm", "gemv");
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
      description = "Operator: gemm or gemv (attention-decode, attention-prefill, softmax not simulated yet).")
  String op;

  @Option(names = "--m", paramLabel = "M", description = "Rows of X (batch); required for gemm, 1 by default for gemv (at most "
      + GEMV_MAX_M + ").")
  Integer m;

  @Option(names = "--k", required = true, paramLabel = "K", description = "Inner dimension.")
  Integer k;

  @Option(names = "--n", required = true, paramLabel = "N", description = "Columns of W and Y.")
  Integer n;

  @Option(names = "--dtype", defaultValue = "bf16", paramLabel = "FORMAT",
      description = "Weight format: bf16, fp16, fp8, int8, fp32 or grouped like int4/g128/fp16 (default ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  /** A validated request. */
  record Request(DevicePreset device, NearMemoryConfig unit, String op, int m, int k, int n, TensorFormat format) {}

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
    NearMemoryConfig config = d.nearMemory(unit).orElseThrow(() -> new InputException(
        "unit '" + unit + "' is not simulated yet" + (unit.equals("xpu") ? " (issue 3 in progress)" : "")
            + "; simulated units: [logic-pim, bankgroup-pim, bank-pim]"));
    if (!SIMULATED_OPS.contains(op)) {
      throw new InputException("op '" + op + "' is not simulated yet; simulated ops: " + SIMULATED_OPS);
    }
    int rows;
    if (op.equals("gemv")) {
      rows = m == null ? 1 : positive("--m", m);
      if (rows > GEMV_MAX_M) {
        throw new InputException("--m must be at most " + GEMV_MAX_M + " for gemv, got " + rows + "; use --op gemm");
      }
    } else {
      if (m == null) {
        throw new InputException("--m is required for --op " + op);
      }
      rows = positive("--m", m);
    }
    positive("--k", k);
    positive("--n", n);
    TensorFormat format;
    try {
      format = TensorFormat.parse(dtype);
    } catch (IllegalArgumentException e) {
      throw new InputException("--dtype: " + e.getMessage(), e);
    }
    return new Request(d, config, op, rows, k, n, format);
  }

  private static int positive(String flag, int v) {
    if (v <= 0) {
      throw new InputException(flag + " must be positive, got " + v);
    }
    return v;
  }

  @Override
  public Integer call() {
    Request r = prepare();
    MemoryConfig memory = MemoryConfig.builder(r.device().standard()).stacks(r.device().stacks()).build();
    long start = System.nanoTime();
    OpResult res = NearMemoryGemm.run(r.unit(), memory, r.m(), r.k(), r.n(), r.format());
    double wall = (System.nanoTime() - start) / 1e9;
    Map<String, Object> metrics = toMap(r, res, wall);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      try {
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      Table.printMetrics(out, metrics);
    }
    out.flush();
    return 0;
  }

  static Map<String, Object> toMap(Request r, OpResult res, double wallSeconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unit", r.unit().name());
    m.put("op", r.op());
    m.put("device", r.device().name());
    m.put("m", r.m());
    m.put("k", r.k());
    m.put("n", r.n());
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
}
