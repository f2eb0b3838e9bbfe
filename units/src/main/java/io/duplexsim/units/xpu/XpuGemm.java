package io.duplexsim.units.xpu;

import io.duplexsim.isa.DataType;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import java.util.List;

/**
 * Runs Y[m,n] = X[m,k] W[k,n] on the xPU, cycle by cycle: SMs take output tiles, load K steps of X and
 * W through the L2, whose misses become 32 B requests in the HBM controllers over the xPU (off-stack)
 * path; the arrays compute as operands arrive; finished tiles are written back. Utilisation comes out
 * of tiling, wave quantisation, L2 reuse and memory stalls.
 *
 * <p>Formats: W in the given weight format; X and Y in 16-bit, except W8A8 formats (FP8, INT8),
 * whose X is 8-bit and whose MACs run at twice the 16-bit rate; INT4 W4A16 dequantises to 16-bit MACs.
 * Split-K partial sums meet in L2 (their bandwidth is charged, the reduction's few adds are not); the
 * last split writes Y.
 */
public final class XpuGemm {
  private XpuGemm() {}

  /** Energy per DRAM-side figure comes from the memory system; MACs at the same FP16 MAC energy as every unit. */
  public static final double MAC_PJ = NearMemoryGemm.MAC_PJ;

  public static OpResult run(XpuConfig xpu, MemoryConfig memoryConfig, int m, int k, int n, TensorFormat weights) {
    if (m <= 0 || k <= 0 || n <= 0) {
      throw new IllegalArgumentException("GEMM dimensions must be positive");
    }
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain clock = clock(xpu);
    TimeBase.of(List.of(hbm, clock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), memoryConfig.fastForward());
    MemorySystem memory = new MemorySystem(memoryConfig, standard, hbm, scheduler, null);
    Run run = new Run(xpu, memory, scheduler, clock, List.of(GemmProblem.packed(m, k, n, 0)), weights,
        scheduler::stop);
    scheduler.run();
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, hbm.cycleAtOrAfter(clock.tickOf(run.endCycle())));
    return run.result(ledger);
  }

  /** The xPU's clock domain. */
  public static ClockDomain clock(XpuConfig xpu) {
    return new ClockDomain("xpu", xpu.clockMHz() * 1_000_000L);
  }

  /**
   * Registers one GEMM's SMs and HBM port with a running device (its scheduler, memory and the xPU's
   * clock), tensors placed from byte {@code addressBase} on; {@code onDone} runs once the last tile
   * is computed and written. Other units may share the memory at the same time.
   */
  public static Job start(XpuConfig xpu, MemorySystem memory, Scheduler scheduler, ClockDomain clock, int m, int k,
      int n, TensorFormat weights, long addressBase, Runnable onDone) {
    if (m <= 0 || k <= 0 || n <= 0) {
      throw new IllegalArgumentException("GEMM dimensions must be positive");
    }
    return new Run(xpu, memory, scheduler, clock, List.of(GemmProblem.packed(m, k, n, addressBase)), weights, onDone);
  }

  /**
   * Registers a grouped GEMM: independent {@code problems} whose tiles share one queue, the L2 and the
   * HBM port, as a grouped (batched) GEMM kernel runs them. One packed problem is exactly
   * {@link #start}.
   */
  public static Job startGrouped(XpuConfig xpu, MemorySystem memory, Scheduler scheduler, ClockDomain clock,
      List<GemmProblem> problems, TensorFormat weights, Runnable onDone) {
    return new Run(xpu, memory, scheduler, clock, problems, weights, onDone);
  }

  /** A GEMM (or another xPU kernel, as {@link XpuAttention#start}'s) running on a device. */
  public interface Job {
    /** xPU cycle at which the last tile was written (valid once done). */
    long endCycle();

    /** The run's figures, with the memory's energy already posted to {@code ledger}. */
    OpResult result(EnergyLedger ledger);
  }

  /** Whether both operands are 8-bit (W8A8), which doubles the MAC rate. */
  static boolean eightBit(TensorFormat weights) {
    DataType t = weights.dataType();
    return t == DataType.FP8 || t == DataType.INT8;
  }

  /** The state of one (grouped) GEMM on one device, shared by its SMs, L2 and HBM port. */
  static final class Run implements Job {
    /** L2 chunk keys carry the problem index above this bit. */
    private static final int PROBLEM_SHIFT = 40;

    private final XpuConfig config;
    private final GroupedTiling work;
    private final Scheduler scheduler;
    private final ClockDomain xpuClock;
    private final ClockDomain hbmClock;
    private final MemorySystem memory;
    private final HbmPort port;
    private final L2Cache l2;
    private final StreamingMultiprocessor[] sms;
    private final double xBytes;
    private final double wBytes;
    private final double yBytes;
    private final long[] wBase;
    private final long[] wChunkStride;
    private final long[] xBase;
    private final long[] yBase;
    private final int sector;
    private final int[] splitsFirst;
    private final int[] splitsLeft;
    private int nextTile;
    private int smsFinished;
    private long computeEnd;
    private boolean done;

    private final Runnable onDone;

    Run(XpuConfig config, MemorySystem memory, Scheduler scheduler, ClockDomain xpuClock, List<GemmProblem> problems,
        TensorFormat weights, Runnable onDone) {
      this.config = config;
      this.memory = memory;
      this.scheduler = scheduler;
      this.xpuClock = xpuClock;
      this.hbmClock = memory.clock();
      this.onDone = onDone;
      boolean eight = eightBit(weights);
      int cols = config.arrayCols() * (eight ? 2 : 1);
      wBytes = weights.bytesPerElement();
      xBytes = eight ? 1 : weights.dataType() == DataType.FP32 ? 4 : 2;
      this.work = new GroupedTiling(config, problems, cols, xBytes, wBytes);
      sector = config.sectorBytes();
      yBytes = weights.dataType() == DataType.FP32 ? 4 : 2;
      int count = work.problems();
      wBase = new long[count];
      wChunkStride = new long[count];
      xBase = new long[count];
      yBase = new long[count];
      splitsFirst = new int[count + 1];
      for (int p = 0; p < count; p++) {
        GemmProblem q = work.spec(p);
        GemmTiling t = work.tiling(p);
        wBase[p] = q.wBase();
        if (q.layout() == GemmProblem.WeightLayout.PACKED) {
          // Tensors one after another, each starting on a fresh 2 MiB boundary; W packed chunk by chunk.
          long fullChunk = (long) Math.ceil(t.tileK() * t.tileN() * wBytes);
          wChunkStride[p] = (fullChunk + sector - 1) / sector * sector;
          xBase[p] = wBase[p] + align(wChunkStride[p] * t.kSteps() * t.nTiles());
          yBase[p] = xBase[p] + align((long) Math.ceil((double) q.m() * q.k() * xBytes));
        } else {
          xBase[p] = q.xBase();
          yBase[p] = q.yBase();
        }
        splitsFirst[p + 1] = splitsFirst[p] + t.mTiles() * t.nTiles();
      }
      splitsLeft = new int[splitsFirst[count]];
      for (int p = 0; p < count; p++) {
        java.util.Arrays.fill(splitsLeft, splitsFirst[p], splitsFirst[p + 1], work.tiling(p).splitK());
      }
      port = new HbmPort(memory, scheduler, this::sectorArrived, this::maybeStop);
      port.attach(scheduler.register(port, hbmClock));
      l2 = new L2Cache(config, this::queueReads, this::deliver, c -> xpuClock.cycleAtOrAfter(hbmClock.tickOf(c)));
      sms = new StreamingMultiprocessor[config.sms()];
      for (int s = 0; s < sms.length; s++) {
        sms[s] = new StreamingMultiprocessor(s, this, cols);
        sms[s].attach(scheduler.register(sms[s], xpuClock));
      }
    }

    private static long align(long bytes) {
      long a = 2L << 20;
      return (bytes + a - 1) / a * a;
    }

    private void sectorArrived(int missId, long memoryCycle) {
      l2.sectorArrived(missId, memoryCycle);
    }

    XpuConfig config() {
      return config;
    }

    GroupedTiling work() {
      return work;
    }

    int takeTile() {
      return nextTile < work.items() ? nextTile++ : -1;
    }

    void wakeSm(int componentId, long xpuCycle) {
      scheduler.wake(componentId, xpuCycle);
    }

    private void deliver(int sm, int slot, long cycle) {
      sms[sm].deliver(slot, cycle);
    }

    // Chunk keys: problem above PROBLEM_SHIFT; even = X chunk (mTile, kStep), odd = W chunk (kStep, nTile).
    private long xKey(int p, GemmTiling t, int mTile, int kStep) {
      return (long) p << PROBLEM_SHIFT | ((long) kStep * t.mTiles() + mTile) << 1;
    }

    private long wKey(int p, GemmTiling t, int kStep, int nTile) {
      return (long) p << PROBLEM_SHIFT | (((long) kStep * t.nTiles() + nTile) << 1) | 1;
    }

    void loadChunks(int sm, int slot, int problem, int tile, int kStep, long now) {
      GemmTiling t = work.tiling(problem);
      int mTile = t.mTile(tile);
      int nTile = t.nTile(tile);
      int depth = t.depth(kStep);
      l2.request(sm, slot, xKey(problem, t, mTile, kStep), (int) Math.ceil(t.rows(mTile) * depth * xBytes), now);
      l2.request(sm, slot, wKey(problem, t, kStep, nTile), (int) Math.ceil(depth * t.cols(nTile) * wBytes), now);
    }

    /** Queues the DRAM sectors of a chunk: one contiguous byte range per row of the stored tensor. */
    private int queueReads(long key, int missId, long dueXpuCycle) {
      long due = hbmClock.cycleAtOrAfter(xpuClock.tickOf(dueXpuCycle));
      int p = (int) (key >>> PROBLEM_SHIFT);
      GemmTiling t = work.tiling(p);
      boolean w = (key & 1) == 1;
      long index = (key & ((1L << PROBLEM_SHIFT) - 1)) >>> 1;
      int sectors = 0;
      if (w) {
        int kStep = (int) (index / t.nTiles());
        int nTile = (int) (index % t.nTiles());
        int depth = t.depth(kStep);
        int cols = t.cols(nTile);
        switch (work.spec(p).layout()) {
          case PACKED -> {
            // W is stored pre-packed (as inference engines pack weights): each chunk contiguous.
            long chunkBytes = (long) Math.ceil(depth * cols * wBytes);
            sectors += rowRange(wBase[p] + index * wChunkStride[p], 0, 0, 0, chunkBytes, 1.0, missId, due, false);
          }
          case K_MAJOR -> {
            for (int r = 0; r < depth; r++) {
              sectors += rowRange(wBase[p], (long) kStep * t.tileK() + r, t.n(), (long) nTile * t.tileN(), cols,
                  wBytes, missId, due, false);
            }
          }
          case N_MAJOR -> {
            for (int c = 0; c < cols; c++) {
              sectors += rowRange(wBase[p], (long) nTile * t.tileN() + c, t.k(), (long) kStep * t.tileK(), depth,
                  wBytes, missId, due, false);
            }
          }
          default -> throw new IllegalStateException();
        }
      } else {
        int kStep = (int) (index / t.mTiles());
        int mTile = (int) (index % t.mTiles());
        int rows = t.rows(mTile);
        for (int r = 0; r < rows; r++) {
          long row = (long) mTile * t.tileM() + r;
          sectors += rowRange(xBase[p], row, t.k(), (long) kStep * t.tileK(), t.depth(kStep), xBytes, missId, due,
              false);
        }
      }
      return sectors;
    }

    /** Reads or writes the sectors covering elements [col, col+count) of {@code row} of a row-major tensor. */
    private int rowRange(long base, long row, long rowLength, long col, long count, double bytesPerElement,
        int missId, long due, boolean write) {
      long first = base + (long) Math.floor((row * rowLength + col) * bytesPerElement);
      long last = base + (long) Math.ceil((row * rowLength + col + count) * bytesPerElement);
      long s0 = first / sector;
      long s1 = (last + sector - 1) / sector;
      for (long s = s0; s < s1; s++) {
        if (write) {
          port.write(s * sector, due);
        } else {
          port.read(s * sector, missId, due);
        }
      }
      return (int) (s1 - s0);
    }

    /** An SM finished a tile at {@code now}: split-K partials go to L2, the last split writes Y to DRAM. */
    void tileDone(int sm, int problem, int tile, long now) {
      GemmTiling t = work.tiling(problem);
      int mTile = t.mTile(tile);
      int nTile = t.nTile(tile);
      int rows = t.rows(mTile);
      int cols = t.cols(nTile);
      if (--splitsLeft[splitsFirst[problem] + mTile * t.nTiles() + nTile] > 0) {
        l2.absorb(sm, rows * cols * 4, now); // FP32 partial sums
        return;
      }
      long due = hbmClock.cycleAtOrAfter(xpuClock.tickOf(now + config.l2LatencyCycles() / 2));
      for (int r = 0; r < rows; r++) {
        rowRange(yBase[problem], (long) mTile * t.tileM() + r, t.n(), (long) nTile * t.tileN(), cols, yBytes,
            -1, due, true);
      }
    }

    void smFinished(long lastTileEnd) {
      computeEnd = Math.max(computeEnd, lastTileEnd);
      smsFinished++;
      maybeStop();
    }

    private void maybeStop() {
      if (smsFinished == sms.length && port.writesOutstanding() == 0 && !done) {
        done = true;
        onDone.run();
      }
    }

    @Override
    public long endCycle() {
      if (!done) {
        throw new IllegalStateException("xpu GEMM did not finish (" + smsFinished + " of " + sms.length + " SMs)");
      }
      return Math.max(computeEnd, xpuClock.cycleAtOrAfter(hbmClock.tickOf(port.lastCompletion())));
    }

    /** MACs the arrays performed, checked against what the tiles issue. */
    long macs() {
      long macs = 0;
      for (StreamingMultiprocessor sm : sms) {
        macs += sm.usefulMacs();
      }
      if (macs != work.macs()) {
        throw new IllegalStateException("xpu GEMM computed " + macs + " MACs, expected " + work.macs());
      }
      return macs;
    }

    /** Bytes moved between the xPU and DRAM. */
    long dramBytes() {
      return (port.readSectors() + port.writeSectors()) * sector;
    }

    boolean eightBitMacs() {
      return xBytes == 1;
    }

    @Override
    public OpResult result(EnergyLedger ledger) {
      long endCycle = endCycle();
      double ns = xpuClock.nsOf(endCycle);
      long macs = macs();
      long flops = 2 * macs;
      long bytes = dramBytes();
      ledger.add("xpu.mac", macs * MAC_PJ);
      double busy = macs / ((double) config.macsPerCycle(xBytes == 1) * endCycle);
      double dramUtil = bytes / ns / memory.peakGBps();
      return new OpResult(endCycle, ns, flops, bytes, flops / ns / 1000, bytes / ns, busy,
          busy >= dramUtil ? "compute" : "memory", ledger.totalPj(), ledger.byCategory());
    }

    long l2Hits() {
      return l2.hits();
    }

    MemorySystem memory() {
      return memory;
    }
  }
}
