package io.duplexsim.units.xpu;

import io.duplexsim.isa.Attention;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.nearmemory.SoftmaxUnitConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention (decode or prefill) on the xPU, cycle by cycle through the L2 and the HBM model, as one
 * of two kernels ({@link AttentionKernel}). FUSED (the default) is FlashAttention-2-style
 * ({@link FlashAttention}): S and P stay in the SMs, so DRAM sees Q, K, V and O about once.
 *
 * <p>UNFUSED is a kernel sequence: (1) one grouped GEMM of all scores S = Q K^T, one problem per
 * (request, KV head) with m = GQA group x query tokens, k = head dim, n = KV length; (2) a row softmax
 * of every S on the SMs' vector units ({@link SoftmaxPass}); (3) one grouped GEMM of all contexts
 * O = P V (k = KV length, n = head dim). Each step starts when the previous one's last write completed
 * (a kernel boundary); S and P go through DRAM (the L2 does not keep written data), which costs 4 g/d
 * of the K and V bytes at decode and far more at prefill. A causal mask skips whole tiles past the
 * diagonal (tiles on it are computed whole) and the masked row tails in the softmax.
 *
 * <p>Layout: per (request, KV head), K and V are contiguous [kvLen][headDim] (the unfused score GEMM
 * reads K as K^T), and Q, S, P and O contiguous row-major with the group's heads of one token
 * adjacent; every tensor starts on a 4 KiB boundary. Reported: flops = {@link Attention#flops()}
 * (useful work; MACs computed on diagonal tiles count in busyFraction and energy), bytes = every byte
 * the kernel(s) moved.
 */
public final class XpuAttention {
  private static final long ALIGN = 4096;

  private XpuAttention() {}

  /** What the three unfused kernels did, for tests and reports. */
  record Steps(OpResult result, long scoreBytes, long softmaxBytes, long contextBytes, long macs) {}

  /** What the fused kernel did, for tests and reports. */
  record Fused(OpResult result, long macs, long softmaxElements, int items, int splits, long combineCycles) {}

  /** The fused (FlashAttention) kernel. */
  public static OpResult run(XpuConfig xpu, MemoryConfig memoryConfig, Attention a) {
    return run(xpu, memoryConfig, a, AttentionKernel.FUSED);
  }

  public static OpResult run(XpuConfig xpu, MemoryConfig memoryConfig, Attention a, AttentionKernel kernel) {
    return switch (kernel) {
      case FUSED -> simulateFused(xpu, memoryConfig, a).result();
      case UNFUSED -> simulateUnfused(xpu, memoryConfig, a).result();
    };
  }

  static Fused simulateFused(XpuConfig xpu, MemoryConfig memoryConfig, Attention a) {
    return simulateFused(xpu, memoryConfig, a, 0);
  }

  /** The fused kernel with {@code splits} KV splits per query block (0: the library heuristic's choice). */
  static Fused simulateFused(XpuConfig xpu, MemoryConfig memoryConfig, Attention a, int splits) {
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain clock = XpuGemm.clock(xpu);
    TimeBase.of(List.of(hbm, clock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), memoryConfig.fastForward());
    MemorySystem memory = new MemorySystem(memoryConfig, standard, hbm, scheduler, null);
    FlashAttention run = new FlashAttention(xpu, memory, scheduler, clock, a, splits, scheduler::stop);
    scheduler.run();
    long end = run.endCycle();
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, hbm.cycleAtOrAfter(clock.tickOf(end)));
    OpResult result = fusedResult(xpu, memory, clock, a, run, ledger);
    return new Fused(result, run.macs(), run.softmaxElements(), run.work().items(), run.work().splits(),
        run.combineCycles());
  }

  /**
   * Registers the fused kernel with a running device (its scheduler, memory and the xPU's clock);
   * {@code onDone} runs once its last output is written. Other units may share the memory at the
   * same time.
   */
  public static XpuGemm.Job start(XpuConfig xpu, MemorySystem memory, Scheduler scheduler, ClockDomain clock,
      Attention a, Runnable onDone) {
    FlashAttention run = new FlashAttention(xpu, memory, scheduler, clock, a, 0, onDone);
    return new XpuGemm.Job() {
      @Override
      public long endCycle() {
        return run.endCycle();
      }

      @Override
      public OpResult result(EnergyLedger ledger) {
        return fusedResult(xpu, memory, clock, a, run, ledger);
      }
    };
  }

  /** The fused kernel's figures, its MACs' and softmax's energy added to {@code ledger} (the memory's posted). */
  private static OpResult fusedResult(XpuConfig xpu, MemorySystem memory, ClockDomain clock, Attention a,
      FlashAttention run, EnergyLedger ledger) {
    long end = run.endCycle();
    ledger.add("xpu.mac", run.macs() * XpuGemm.MAC_PJ);
    ledger.add("xpu.softmax", SoftmaxUnitConfig.energyPj(run.softmaxElements()));
    return result(xpu, memory, a, end, clock.nsOf(end), run.dramBytes(), run.macs(), ledger);
  }

  static Steps simulateUnfused(XpuConfig xpu, MemoryConfig memoryConfig, Attention a) {
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain clock = XpuGemm.clock(xpu);
    TimeBase.of(List.of(hbm, clock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), memoryConfig.fastForward());
    MemorySystem memory = new MemorySystem(memoryConfig, standard, hbm, scheduler, null);
    double e = a.format().bytesPerElement();
    int g = a.groupSize();
    int d = a.headDim();
    List<GemmProblem> scores = new ArrayList<>();
    List<SoftmaxPass.Matrix> rows = new ArrayList<>();
    List<GemmProblem> contexts = new ArrayList<>();
    long next = 0;
    for (int r = 0; r < a.requests(); r++) {
      int q = a.queryTokens().get(r);
      int kv = a.kvLengths().get(r);
      int m = g * q;
      int offset = kv - q; // query i sees keys up to kv - q + i
      GemmProblem.Mask onN = a.causal() ? GemmProblem.Mask.KEYS_ON_N : GemmProblem.Mask.NONE;
      GemmProblem.Mask onK = a.causal() ? GemmProblem.Mask.KEYS_ON_K : GemmProblem.Mask.NONE;
      for (int h = 0; h < a.kvHeads(); h++) {
        long k = next;
        long v = k + aligned((long) kv * d, e);
        long qBase = v + aligned((long) kv * d, e);
        long s = qBase + aligned((long) m * d, e);
        long p = s + aligned((long) m * kv, e);
        long o = p + aligned((long) m * kv, e);
        next = o + aligned((long) m * d, e);
        scores.add(new GemmProblem(m, d, kv, qBase, k, s, GemmProblem.WeightLayout.N_MAJOR, onN, offset, g));
        rows.add(new SoftmaxPass.Matrix(s, p, m, kv, a.causal() ? offset : -1, g));
        contexts.add(new GemmProblem(m, kv, d, p, v, o, GemmProblem.WeightLayout.K_MAJOR, onK, offset, g));
      }
    }
    // Each kernel is launched from the previous one's completion, inside the running simulation.
    XpuGemm.Run[] context = new XpuGemm.Run[1];
    SoftmaxPass[] softmaxes = new SoftmaxPass[1];
    Runnable launchContext = () -> context[0] = (XpuGemm.Run) XpuGemm.startGrouped(xpu, memory, scheduler, clock,
        contexts, a.format(), scheduler::stop);
    Runnable launchSoftmax = () -> softmaxes[0] = new SoftmaxPass(xpu, memory, scheduler, clock, rows, e,
        launchContext);
    XpuGemm.Run score = (XpuGemm.Run) XpuGemm.startGrouped(xpu, memory, scheduler, clock, scores, a.format(),
        launchSoftmax);
    scheduler.run();
    if (context[0] == null) {
      throw new IllegalStateException("xpu attention did not reach its context step");
    }
    SoftmaxPass softmax = softmaxes[0];
    long end = context[0].endCycle();
    if (score.endCycle() > softmax.endCycle() || softmax.endCycle() > end) {
      throw new IllegalStateException("xpu attention steps overlapped");
    }
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, hbm.cycleAtOrAfter(clock.tickOf(end)));
    long macs = score.macs() + context[0].macs();
    ledger.add("xpu.mac", macs * XpuGemm.MAC_PJ);
    ledger.add("xpu.softmax", SoftmaxUnitConfig.energyPj(softmax.elements()));
    long bytes = score.dramBytes() + softmax.dramBytes() + context[0].dramBytes();
    OpResult result = result(xpu, memory, a, end, clock.nsOf(end), bytes, macs, ledger);
    return new Steps(result, score.dramBytes(), softmax.dramBytes(), context[0].dramBytes(), macs);
  }

  private static OpResult result(XpuConfig xpu, MemorySystem memory, Attention a, long end, double ns, long bytes,
      long macs, EnergyLedger ledger) {
    long flops = a.flops();
    double busy = macs / ((double) xpu.macsPerCycle(XpuGemm.eightBit(a.format())) * end);
    double dramUtil = bytes / ns / memory.peakGBps();
    return new OpResult(end, ns, flops, bytes, flops / ns / 1000, bytes / ns, busy,
        busy >= dramUtil ? "compute" : "memory", ledger.totalPj(), ledger.byCategory());
  }

  private static long aligned(long elements, double bytesPerElement) {
    long bytes = (long) Math.ceil(elements * bytesPerElement);
    return (bytes + ALIGN - 1) / ALIGN * ALIGN;
  }
}
