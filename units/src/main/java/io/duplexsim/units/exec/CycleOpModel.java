package io.duplexsim.units.exec;

import io.duplexsim.isa.Activation;
import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.Barrier;
import io.duplexsim.isa.Collective;
import io.duplexsim.isa.Elementwise;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.KvAppend;
import io.duplexsim.isa.KvRead;
import io.duplexsim.isa.Load;
import io.duplexsim.isa.Softmax;
import io.duplexsim.isa.Store;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.device.CoRun;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.interconnect.CollectiveAlgorithm;
import io.duplexsim.units.interconnect.CollectiveRequest;
import io.duplexsim.units.interconnect.Interconnect;
import io.duplexsim.units.nearmemory.ComposedAttention;
import io.duplexsim.units.nearmemory.NearMemoryAttention;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import io.duplexsim.units.nearmemory.NearMemorySoftmax;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.xpu.XpuConfig;
import io.duplexsim.units.xpu.XpuAttention;
import io.duplexsim.units.xpu.XpuGemm;
import io.duplexsim.units.xpu.XpuSoftmax;
import io.duplexsim.units.xpu.XpuStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The cycle-level fidelity: every instruction runs through its unit's cycle-level model on a fresh
 * device (the HBM model, the xPU's SMs and L2, the near-memory modules, the interconnect's ports).
 * Streaming vector work on the xPU (norms, activations, residuals, rotary, KV appends and reads,
 * loads, stores) runs as an {@link XpuStream}.
 */
public final class CycleOpModel implements OpModel {
  private final DevicePreset device;
  private final MemoryConfig memory;
  private final SystemPreset system;
  /** Per near-memory unit: decode attention composed from single-pair runs (memo's pricing). */
  private final Map<String, ComposedAttention> composed = new HashMap<>();

  /** {@code system} prices collectives; it may be null for single-device traces. */
  public CycleOpModel(DevicePreset device, MemoryConfig memory, SystemPreset system) {
    this.device = device;
    this.memory = memory;
    this.system = system;
  }

  @Override
  public String fidelity() {
    return "cycle";
  }

  @Override
  public OpResult price(Instruction ins) {
    Unit unit = ins.unit();
    if (ins instanceof Barrier) {
      return new OpResult(0, 0, 0, 0, 0, 0, 0, "none", 0, Map.of());
    }
    if (ins instanceof Collective c) {
      if (system == null) {
        throw new InputException("instruction " + c.id() + ": a collective needs a system (devices and links)");
      }
      return Interconnect.simulate(system.fabric(), CollectiveRequest.of(c, CollectiveAlgorithm.RING)).toOpResult();
    }
    if (unit == Unit.XPU) {
      XpuConfig x = device.xpuConfig().orElseThrow(() -> missing(ins));
      if (ins instanceof Gemm g) {
        return XpuGemm.run(x, memory, g.m(), g.k(), g.n(), g.weightFormat());
      }
      if (ins instanceof Attention a) {
        return XpuAttention.run(x, memory, a);
      }
      if (ins instanceof Softmax s) {
        return XpuSoftmax.run(x, memory, s);
      }
      long bytes = ins.bytes();
      double writeShare = ins instanceof KvAppend || ins instanceof Store ? 1
          : ins instanceof KvRead || ins instanceof Load ? 0 : 0.5;
      long written = Math.round(bytes * writeShare);
      return XpuStream.run(x, memory, bytes - written, written, ins.flops());
    }
    NearMemoryConfig pim = device.nearMemory(unit.label()).orElseThrow(() -> missing(ins));
    if (ins instanceof Gemm g) {
      return NearMemoryGemm.run(pim, memory, g.m(), g.k(), g.n(), g.weightFormat());
    }
    if (ins instanceof Attention a) {
      return NearMemoryAttention.run(pim, memory, a);
    }
    if (ins instanceof Softmax s) {
      return NearMemorySoftmax.run(pim, memory, s);
    }
    if (ins instanceof Activation || ins instanceof Elementwise) {
      // The stack's activation module works on rows already in the unit's buffers; its rate is not
      // published, so it runs at the softmax unit's (assumed) element rate, the work split over stacks.
      long elements = ins instanceof Activation a ? a.elements() : ((Elementwise) ins).elements();
      int stacks = memory.stacks();
      int perStack = (int) Math.min(Integer.MAX_VALUE, (elements + stacks - 1) / stacks);
      return NearMemorySoftmax.run(pim, memory, new Softmax(ins.id(), unit, ins.deps(), stacks, perStack,
          TensorFormat.BF16));
    }
    throw new InputException("instruction " + ins.id() + ": " + ins.getClass().getSimpleName() + " on "
        + unit.label() + " is not simulated");
  }

  /**
   * Runs the two attentions at once on one device ({@link CoRun}: the xPU's data in rank 0's bundles,
   * the near-memory unit's in rank 1's under Duplex's mapping; both over all banks under the GPU's) and
   * takes each one's time from that run; flops, bytes and energy stay as alone (energy is the ops' own
   * commands and MACs, which contention delays but does not add). Null under any other mapping, or when
   * the device lacks either unit.
   */
  @Override
  public OpResult[] priceTogether(Attention onXpu, Attention onNearMemory, OpResult xpuAlone,
      OpResult nearMemoryAlone) {
    boolean bundles = memory.mapping().equals(CoRun.BUNDLE_SPACES);
    if (!bundles && !memory.mapping().equals(CoRun.SHARED_BANKS)) {
      return null;
    }
    XpuConfig x = device.xpuConfig().orElse(null);
    NearMemoryConfig pim = device.nearMemory(onNearMemory.unit().label()).orElse(null);
    if (x == null || pim == null) {
      return null;
    }
    CoRun.Result r = CoRun.run(x, pim, memory, CoRun.Op.attention(onXpu), CoRun.Op.attention(onNearMemory), bundles);
    return new OpResult[] {atTimeOf(xpuAlone, r.xpu()), atTimeOf(nearMemoryAlone, r.nearMemory())};
  }

  /** {@code alone}'s work and energy over the time (and unit cycles, busy fraction) {@code together} took. */
  static OpResult atTimeOf(OpResult alone, OpResult together) {
    double ns = together.timeNs();
    return new OpResult(together.unitCycles(), ns, alone.flops(), alone.bytes(), alone.flops() / ns / 1000,
        alone.bytes() / ns, together.busyFraction(), alone.bound(), alone.energyPj(), alone.energyBreakdownPj());
  }

  /**
   * Decode attention on a near-memory unit composed from cycle-level runs of its (request, KV head)
   * pairs ({@link ComposedAttention}), or null for any other instruction: how the memo fidelity prices a
   * shape that is new nearly every iteration.
   */
  public synchronized OpResult composedAttention(Instruction ins) {
    if (!composes(ins)) {
      return null;
    }
    Attention a = (Attention) ins;
    NearMemoryConfig pim = device.nearMemory(a.unit().label()).orElseThrow(() -> missing(ins));
    return composed.computeIfAbsent(pim.name(), k -> new ComposedAttention(pim, memory)
        .keepingRunsIn(calibrationsOf(a.unit()))).price(a);
  }

  /** Whether {@link #composedAttention} composes {@code ins} (decode attention on a near-memory unit). */
  public static boolean composes(Instruction ins) {
    return ins instanceof Attention a && a.unit() != Unit.XPU && a.phase() == AttentionPhase.DECODE;
  }

  /** Where composed attention keeps its pair runs, or null to simulate them in every process. */
  private MemoStores calibrations;

  /** Keeps the runs composed attention is built from in its unit's store (shared by runs on this hardware). */
  synchronized void keepCalibrationsIn(MemoStores stores) {
    calibrations = stores;
    composed.forEach((unit, c) -> c.keepingRunsIn(calibrationsOf(Unit.parse(unit))));
  }

  private ComposedAttention.Calibrations calibrationsOf(Unit unit) {
    return calibrations == null ? ComposedAttention.Calibrations.SIMULATE : calibrations.of(unit)::calibrationOnce;
  }

  private InputException missing(Instruction ins) {
    return new InputException("instruction " + ins.id() + " runs on " + ins.unit().label() + " but device '"
        + device.name() + "' has no such unit (it has " + device.units() + ")");
  }
}
