package io.duplexsim.units.device;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.nearmemory.NearMemoryAttention;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import io.duplexsim.units.xpu.XpuAttention;
import io.duplexsim.units.xpu.XpuConfig;
import io.duplexsim.units.xpu.XpuGemm;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The xPU and a near-memory unit running at the same time on one device (Duplex's co-processing):
 * both put requests into the same pseudo-channel controllers (each requester with queues and a write
 * mode of its own), whose FR-FCFS schedulers, command buses and timing rules arbitrate between them
 * cycle by cycle. Duplex keeps their data in different bank bundles; here the address mapping
 * {@link #BUNDLE_SPACES} puts the rank on top, so the xPU's data (the lower half of the address space)
 * lives in rank 0's two bundles and the near-memory unit's in rank 1's.
 */
public final class CoRun {
  /**
   * Rank-major mapping: the upper half of every pseudo-channel's space is the other rank's bundles
   * (the Duplex device preset's own mapping).
   */
  public static final String BUNDLE_SPACES = "RaRoBaCoBgCh";
  /** Both units' data over all banks, hashed as a GPU maps them: what the bundle spaces avoid. */
  public static final String SHARED_BANKS = "RoRaBaCoBgCh-xor";

  private CoRun() {}

  /**
   * Each unit's figures as it experienced them (its own finish time; energy: its MACs only), the
   * time until both are done, and the device's whole energy.
   */
  public record Result(OpResult xpu, OpResult nearMemory, double makespanNs, double energyPj,
      Map<String, Double> energyBreakdownPj) {}

  /** A GEMM shape for one unit. */
  public record Shape(int m, int k, int n) {}

  /**
   * What one unit runs: a GEMM of {@code weights}, or an attention (on the xPU the fused kernel,
   * prefill or decode; on a near-memory unit decode only). Exactly one of the two is set.
   */
  public record Op(Shape gemm, TensorFormat weights, Attention attention) {
    public Op {
      if ((gemm == null) == (attention == null) || (gemm != null && weights == null)) {
        throw new IllegalArgumentException("an op is a GEMM shape with its weights' format, or an attention");
      }
    }

    public static Op gemm(Shape shape, TensorFormat weights) {
      return shape == null ? null : new Op(shape, weights, null);
    }

    public static Op attention(Attention a) {
      return new Op(null, null, a);
    }
  }

  /** Runs both alone-or-together: {@code xpuShape} or {@code pimShape} may be null to run one alone. */
  public static Result run(XpuConfig xpu, NearMemoryConfig pim, MemoryConfig memoryConfig, Shape xpuShape,
      Shape pimShape, TensorFormat weights) {
    return run(xpu, pim, memoryConfig, xpuShape, pimShape, weights, true);
  }

  /**
   * As {@link #run(XpuConfig, NearMemoryConfig, MemoryConfig, Shape, Shape, TensorFormat)}; with
   * {@code separateBundles} false both units' data spread over all banks ({@link #SHARED_BANKS}) and
   * their rows conflict (what Duplex's bundle spaces avoid). The configured mapping is replaced either way.
   */
  public static Result run(XpuConfig xpu, NearMemoryConfig pim, MemoryConfig memoryConfig, Shape xpuShape,
      Shape pimShape, TensorFormat weights, boolean separateBundles) {
    return run(xpu, pim, memoryConfig, Op.gemm(xpuShape, weights), Op.gemm(pimShape, weights), separateBundles);
  }

  /** As {@link #run(XpuConfig, NearMemoryConfig, MemoryConfig, Shape, Shape, TensorFormat, boolean)}, for any ops. */
  public static Result run(XpuConfig xpu, NearMemoryConfig pim, MemoryConfig memoryConfig, Op xpuOp, Op pimOp,
      boolean separateBundles) {
    MemoryConfig cfg = memoryConfig.toBuilder().mapping(separateBundles ? BUNDLE_SPACES : SHARED_BANKS).build();
    DramStandard standard = MemorySystem.standardOf(cfg);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain xpuClock = XpuGemm.clock(xpu);
    ClockDomain pimClock = new ClockDomain(pim.name(), pim.clockMHz() * 1_000_000L);
    ClockDomain softmaxClock = NearMemoryAttention.softmaxClock(pim, pimClock);
    TimeBase.of(softmaxClock == pimClock ? List.of(hbm, xpuClock, pimClock)
        : List.of(hbm, xpuClock, pimClock, softmaxClock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), cfg.fastForward());
    MemorySystem memory = new MemorySystem(cfg, standard, hbm, scheduler, null);
    int[] running = {(xpuOp == null ? 0 : 1) + (pimOp == null ? 0 : 1)};
    if (running[0] == 0) {
      throw new IllegalArgumentException("nothing to run");
    }
    Runnable oneDone = () -> {
      if (--running[0] == 0) {
        scheduler.stop();
      }
    };
    XpuGemm.Job x = xpuOp == null ? null
        : xpuOp.gemm() != null ? XpuGemm.start(xpu, memory, scheduler, xpuClock, xpuOp.gemm().m(), xpuOp.gemm().k(),
            xpuOp.gemm().n(), xpuOp.weights(), 0, oneDone)
        : XpuAttention.start(xpu, memory, scheduler, xpuClock, xpuOp.attention(), oneDone);
    long pimBase = separateBundles ? halfCapacity(standard.org(), memory.pseudoChannels()) : 1L << 32;
    NearMemoryRun p = null;
    if (pimOp != null && pimOp.gemm() != null) {
      NearMemoryGemm.Job g = NearMemoryGemm.start(pim, memory, scheduler, pimClock, pimOp.gemm().m(), pimOp.gemm().k(),
          pimOp.gemm().n(), pimOp.weights(), pimBase, oneDone);
      p = new NearMemoryRun(g::doneCycle, g::result);
    } else if (pimOp != null) {
      NearMemoryAttention.Job at = NearMemoryAttention.start(pim, memory, scheduler, pimClock, softmaxClock,
          pimOp.attention(), pimBase, oneDone);
      p = new NearMemoryRun(at::doneCycle, at::result);
    }
    scheduler.run();
    long endTick = Math.max(x == null ? 0 : xpuClock.tickOf(x.endCycle()),
        p == null ? 0 : pimClock.tickOf(p.doneCycle().getAsLong()));
    EnergyLedger device = new EnergyLedger();
    memory.postEnergy(device, hbm.cycleAtOrAfter(endTick));
    OpResult xr = x == null ? null : x.result(new EnergyLedger());
    OpResult pr = p == null ? null : p.result().apply(new EnergyLedger());
    for (OpResult r : new OpResult[] {xr, pr}) {
      if (r != null) {
        r.energyBreakdownPj().forEach(device::add);
      }
    }
    return new Result(xr, pr, hbm.timeBase().ticksToNs(endTick), device.totalPj(), device.byCategory());
  }

  /** A near-memory GEMM or attention on the device: its end and its figures. */
  private record NearMemoryRun(LongSupplier doneCycle, Function<EnergyLedger, OpResult> result) {}

  /** First byte of rank 1 under {@link #BUNDLE_SPACES}. */
  static long halfCapacity(Organization org, int pseudoChannels) {
    long perRank = (long) org.banksPerRank() * org.rows() * org.columns() * org.accessBytes();
    return perRank * pseudoChannels;
  }
}
