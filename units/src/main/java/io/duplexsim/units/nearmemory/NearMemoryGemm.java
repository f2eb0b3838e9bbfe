package io.duplexsim.units.nearmemory;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.duplexsim.sim.energy.EnergyLedger;

/**
 * Runs Y[m,n] = X[m,k] W[k,n] on the near-memory modules (Logic-PIM or Bank-PIM) of HBM stacks, cycle
 * by cycle: W's columns are split across every pseudo-channel (Duplex splits gate/up projections
 * column-wise over the stacks), each module streams its slice through the cycle-level memory system
 * (HBM command clock) and computes at its own clock.
 */
public final class NearMemoryGemm {
  private NearMemoryGemm() {}

  /** Result of one run; all figures simulated. */
  /**
   * Result of one run; all figures simulated. Energy: the memory system's (activations, refresh,
   * array, TSV by path) plus {@link #MAC_PJ} per multiply-accumulate.
   */
  public record Result(long unitCycles, double timeNs, long flops, long weightBytes, double achievedTflops,
      double achievedGBps, double busyFraction, String bound, double energyPj, Map<String, Double> energyBreakdownPj) {

    /** Energy per weight bit read: the path's cost per bit plus activations and MACs. */
    public double pjPerWeightBit() {
      return energyPj / (weightBytes * 8.0);
    }
  }

  /** FP16 MAC energy, all unit types (FGDRAM / Duplex, hardware.md). */
  public static final double MAC_PJ = 0.46;

  public static Result run(NearMemoryConfig pim, MemoryConfig memoryConfig, int m, int k, int n, TensorFormat weights) {
    if (m <= 0 || k <= 0 || n <= 0) {
      throw new IllegalArgumentException("GEMM dimensions must be positive");
    }
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain pimClock = new ClockDomain(pim.name(), pim.clockMHz() * 1_000_000L);
    TimeBase.of(List.of(hbm, pimClock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), memoryConfig.fastForward());
    List<StreamingGemmModule> modules = new ArrayList<>();
    int pcs = memoryConfig.stacks() * standard.org().pseudoChannelsPerStack();
    int chunkBytes = standard.org().accessBytes() * switch (pim.read()) {
      case BUNDLE_READ, BUNDLE_WRITE, BUNDLE_READ_BANKGROUP -> standard.org().banksPerBundle();
      case ALLBANK_READ -> standard.org().banksPerPseudoChannel();
      default -> 1;
    };
    double bytesPerElement = weights.bytesPerElement();
    long elementsPerChunk = (long) Math.floor(chunkBytes / bytesPerElement);
    long totalWeightBytes = 0;
    MemorySystem memory = new MemorySystem(memoryConfig, standard, hbm, scheduler, null);
    int[] remaining = {pcs};
    // Refresh keeps the controllers ticking forever: stop once every module has its last chunk.
    Runnable moduleDone = () -> {
      if (--remaining[0] == 0) {
        scheduler.stop();
      }
    };
    for (int pc = 0; pc < pcs; pc++) {
      long cols = n / pcs + (pc < n % pcs ? 1 : 0);
      long bytes = (long) Math.ceil(k * cols * bytesPerElement);
      totalWeightBytes += bytes;
      StreamingGemmModule g = new StreamingGemmModule(pc, pcs, memory, scheduler, pimClock, bytes, chunkBytes,
          (long) m * elementsPerChunk, pim, moduleDone);
      g.attach(scheduler.register(g, pimClock));
      modules.add(g);
    }
    scheduler.run();
    long done = 0;
    long busy = 0;
    for (StreamingGemmModule g : modules) {
      if (g.chunks() > 0 && g.doneCycle() < 0) {
        throw new IllegalStateException(pim.name() + " module did not finish");
      }
      done = Math.max(done, g.doneCycle());
      busy += g.busyCycles();
    }
    double ns = pimClock.nsOf(done);
    long flops = 2L * m * k * n;
    double utilisation = done == 0 ? 0 : busy / (double) (done * pcs); // MAC-cycle occupancy, whole cycles per chunk
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, hbm.cycleAtOrAfter(pimClock.tickOf(done)));
    ledger.add(pim.name() + ".mac", flops / 2.0 * MAC_PJ);
    return new Result(done, ns, flops, totalWeightBytes, flops / ns / 1000, totalWeightBytes / ns, utilisation,
        utilisation > 0.9 ? "compute" : "memory", ledger.totalPj(), ledger.byCategory());
  }
}
