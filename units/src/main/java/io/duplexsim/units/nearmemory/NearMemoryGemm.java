package io.duplexsim.units.nearmemory;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.energy.DramEnergy;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.units.OpResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Y[m,n] = X[m,k] W[k,n] on the near-memory modules (Logic-PIM or Bank-PIM) of HBM stacks, cycle
 * by cycle: W's columns are split across every pseudo-channel (Duplex splits gate/up projections
 * column-wise over the stacks), each module streams its slice through the cycle-level memory system
 * (HBM command clock) and computes at its own clock. Logic-PIM and Bankgroup-PIM first read X into
 * the stack's 1 MB input buffer (each module a share, with bundle reads) and stream W once per
 * buffer-full of rows; Bank-PIM's input vector is taken as broadcast into its bank buffers (AttAcc),
 * not simulated.
 */
public final class NearMemoryGemm {
  private NearMemoryGemm() {}

  /** Logic-PIM's input buffer per stack (hardware.md: two 1 MB buffers, inputs and temporaries). */
  public static final long INPUT_BUFFER_BYTES = 1L << 20;
  /** Input rows (X) are 16-bit activations. */
  static final int X_BYTES = 2;

  /** FP16 MAC energy, all unit types (FGDRAM / Duplex, hardware.md). */
  public static final double MAC_PJ = 0.46;

  /**
   * Runs the GEMM. Every module streams its column slice through its own controller, and no timing
   * rule spans pseudo-channels, so modules with equal slices behave identically: n splits into at most
   * two slice widths, each is simulated once on a one-pseudo-channel system, and the results are
   * combined (time: the slower; energy and bytes: summed by count). This is an exact equivalence,
   * checked against {@link #runAllPseudoChannels} by test.
   */
  public static OpResult run(NearMemoryConfig pim, MemoryConfig memoryConfig, int m, int k, int n, TensorFormat weights) {
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    int pcs = memoryConfig.stacks() * standard.org().pseudoChannelsPerStack();
    if (pcs == 1 || n < pcs) {
      return runAllPseudoChannels(pim, memoryConfig, m, k, n, weights);
    }
    MemoryConfig one = memoryConfig.toBuilder().stacks(1).orgOverride("channels", 1).orgOverride("pseudoChannels", 1)
        .build();
    int wide = n % pcs;           // modules with n / pcs + 1 columns
    int narrow = pcs - wide;      // modules with n / pcs columns
    int perStack = standard.org().pseudoChannelsPerStack();
    Sim simA = simulate(pim, one, m, k, n / pcs, weights, -1, perStack);
    Sim simB = wide == 0 ? null : simulate(pim, one, m, k, n / pcs + 1, weights, -1, perStack);
    // The whole device runs until its slowest slice is done; the faster slice's controllers keep
    // going (and refreshing) until then, so it is simulated again up to that tick.
    if (simB != null && simB.stopTick() > simA.stopTick()) {
      simA = simulate(pim, one, m, k, n / pcs, weights, simB.stopTick(), perStack);
    } else if (simB != null && simA.stopTick() > simB.stopTick()) {
      simB = simulate(pim, one, m, k, n / pcs + 1, weights, simA.stopTick(), perStack);
    }
    OpResult a = simA.result();
    OpResult b = simB == null ? null : simB.result();
    long cycles = Math.max(a.unitCycles(), b == null ? 0 : b.unitCycles());
    double ns = Math.max(a.timeNs(), b == null ? 0 : b.timeNs());
    double busy = a.busyFraction() * a.unitCycles() * narrow + (b == null ? 0 : b.busyFraction() * b.unitCycles() * wide);
    Map<String, Double> energy = new LinkedHashMap<>();
    a.energyBreakdownPj().forEach((category, pj) -> energy.put(category,
        pj * narrow + (b == null ? 0 : b.energyBreakdownPj().get(category) * wide)));
    // Background power is per stack over the whole run, not per pseudo-channel slice.
    double backgroundMw = DramEnergy.withOverrides(memoryConfig.energyOverrides()).backgroundMw();
    energy.put("dram.background", backgroundMw * memoryConfig.stacks() * ns);
    double total = energy.values().stream().mapToDouble(Double::doubleValue).sum();
    long flops = 2L * m * k * n;
    long bytes = a.bytes() * narrow + (b == null ? 0 : b.bytes() * wide);
    double fraction = cycles == 0 ? 0 : busy / ((double) cycles * pcs);
    return new OpResult(cycles, ns, flops, bytes, flops / ns / 1000, bytes / ns, fraction,
        fraction > 0.9 ? "compute" : "memory", total, energy);
  }

  /** Simulates every pseudo-channel (the reference for {@link #run}'s replication). */
  public static OpResult runAllPseudoChannels(NearMemoryConfig pim, MemoryConfig memoryConfig, int m, int k, int n,
      TensorFormat weights) {
    return simulate(pim, memoryConfig, m, k, n, weights, -1,
        MemorySystem.standardOf(memoryConfig).org().pseudoChannelsPerStack()).result;
  }

  /** A simulated run and the tick at which its scheduler stopped. */
  private record Sim(OpResult result, long stopTick) {}

  /**
   * Simulates every pseudo-channel of {@code memoryConfig}. The run stops once every module has its
   * last chunk, or, if {@code untilTick} is later, at that tick: a slice simulated on its own must keep
   * its controller running (and refreshing) as long as the whole device's run lasts.
   */
  private static Sim simulate(NearMemoryConfig pim, MemoryConfig memoryConfig, int m, int k, int n,
      TensorFormat weights, long untilTick, int modulesPerStack) {
    MemoryRig rig = MemoryRig.of(memoryConfig, pim);
    DramStandard standard = rig.standard();
    ClockDomain hbm = rig.hbm();
    ClockDomain pimClock = rig.pimClock();
    Scheduler scheduler = rig.scheduler();
    MemorySystem memory = rig.memory();
    // Refresh keeps the controllers ticking forever: stop once every module has its last chunk.
    Job job = new Job(pim, memory, scheduler, pimClock, m, k, n, weights, 0, modulesPerStack, () -> {
      if (untilTick < 0) {
        scheduler.stop();
      }
    });
    if (untilTick < 0) {
      scheduler.run();
    } else {
      scheduler.run(untilTick);
    }
    long stopTick = scheduler.now();
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, hbm.cycleAtOrAfter(pimClock.tickOf(job.doneCycle())));
    return new Sim(job.result(ledger), stopTick);
  }

  /**
   * Registers the modules of one GEMM with a running device (its scheduler, memory and the unit's
   * clock), their weights placed from byte {@code addressBase} on; {@code onDone} runs once every
   * module has its last chunk. Other units may share the memory at the same time.
   */
  public static Job start(NearMemoryConfig pim, MemorySystem memory, Scheduler scheduler, ClockDomain pimClock,
      int m, int k, int n, TensorFormat weights, long addressBase, Runnable onDone) {
    if (m <= 0 || k <= 0 || n <= 0) {
      throw new IllegalArgumentException("GEMM dimensions must be positive");
    }
    return new Job(pim, memory, scheduler, pimClock, m, k, n, weights, addressBase,
        memory.standard().org().pseudoChannelsPerStack(), onDone);
  }

  /** One GEMM's modules on a device. */
  public static final class Job {
    private final NearMemoryConfig pim;
    private final ClockDomain pimClock;
    private final List<StreamingModule> modules = new ArrayList<>();
    private final int pcs;
    private final long flops;
    private long totalWeightBytes;
    private int remaining;

    private Job(NearMemoryConfig pim, MemorySystem memory, Scheduler scheduler, ClockDomain pimClock, int m, int k,
        int n, TensorFormat weights, long addressBase, int modulesPerStack, Runnable onDone) {
      this.pim = pim;
      this.pimClock = pimClock;
      this.pcs = memory.pseudoChannels();
      this.flops = 2L * m * k * n;
      int chunkBytes = pim.chunkBytes(memory.standard().org());
      double bytesPerElement = weights.bytesPerElement();
      long elementsPerChunk = (long) Math.floor(chunkBytes / bytesPerElement);
      // Bundle-read units (Logic-PIM, Bankgroup-PIM) first read X into the stack's 1 MB input buffer,
      // each module a 1/modulesPerStack share, and stream W once per buffer-full of X rows.
      boolean buffered = pim.read() == RequestType.BUNDLE_READ || pim.read() == RequestType.BUNDLE_READ_BANKGROUP;
      long xBytes = (long) m * k * X_BYTES;
      int passes = buffered ? (int) Math.max(1, (xBytes + INPUT_BUFFER_BYTES - 1) / INPUT_BUFFER_BYTES) : 1;
      remaining = pcs;
      Runnable moduleDone = () -> {
        if (--remaining == 0) {
          onDone.run();
        }
      };
      for (int pc = 0; pc < pcs; pc++) {
        long cols = n / pcs + (pc < n % pcs ? 1 : 0);
        long bytes = (long) Math.ceil(k * cols * bytesPerElement);
        StreamingModule g;
        if (!buffered || bytes == 0) {
          totalWeightBytes += bytes;
          g = StreamingModule.single(pc, pcs, memory, scheduler, pimClock, bytes, chunkBytes,
              (long) m * elementsPerChunk, pim, moduleDone);
        } else {
          long wChunks = (bytes + chunkBytes - 1) / chunkBytes;
          long[] chunks = new long[2 * passes];
          long[] macs = new long[2 * passes];
          for (int p = 0; p < passes; p++) {
            int rows = (int) ((long) m * (p + 1) / passes - (long) m * p / passes);
            long share = ((long) rows * k * X_BYTES + modulesPerStack - 1) / modulesPerStack;
            chunks[2 * p] = Math.max(1, (share + chunkBytes - 1) / chunkBytes);
            macs[2 * p] = 0; // X lands in the buffer; the MACs wait for W
            chunks[2 * p + 1] = wChunks;
            macs[2 * p + 1] = (long) rows * elementsPerChunk;
            totalWeightBytes += (chunks[2 * p] + wChunks) * chunkBytes;
          }
          g = new StreamingModule(pc, pc, pcs, memory, scheduler, pimClock, chunkBytes, chunks, macs,
              new boolean[2 * passes], pim, moduleDone, null);
        }
        g.placeAt(addressBase);
        modules.add(g);
      }
      for (StreamingModule g : modules) {
        g.attach(scheduler.register(g, pimClock));
      }
    }

    /** Unit cycle at which the last module finished its last chunk. */
    public long doneCycle() {
      return StreamingModule.requireDone(modules, pim.name());
    }

    /** The run's figures, with the memory's energy already posted to {@code ledger}. */
    public OpResult result(EnergyLedger ledger) {
      long done = doneCycle();
      long busy = StreamingModule.busyCycles(modules);
      double ns = pimClock.nsOf(done);
      double utilisation = done == 0 ? 0 : busy / (double) (done * pcs); // MAC-cycle occupancy, whole cycles per chunk
      ledger.add(pim.name() + ".mac", flops / 2.0 * MAC_PJ);
      return new OpResult(done, ns, flops, totalWeightBytes, flops / ns / 1000, totalWeightBytes / ns, utilisation,
          utilisation > 0.9 ? "compute" : "memory", ledger.totalPj(), ledger.byCategory());
    }
  }
}
