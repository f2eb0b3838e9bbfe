package io.duplexsim.units.xpu;

import io.duplexsim.memory.MemorySystem;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;
import it.unimi.dsi.fastutil.ints.IntArrayFIFOQueue;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayFIFOQueue;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.List;

/**
 * A row-softmax kernel on the SMs' vector units, as an unfused attention runs it between its two
 * GEMMs: the rows are cut into blocks of whole rows, each SM takes blocks from a shared queue, reads a
 * block through the L2 (whose misses go to the HBM controllers) into one of two SMEM buffers, runs max,
 * exp, sum and scaling over it at {@link #ELEMENTS_PER_CYCLE}, and writes the result back to DRAM.
 * Loading the next block overlaps computing this one. Masked (causal) row tails are neither read nor
 * written.
 *
 * <p>Vector rate, an assumption from the H100 SM's published resources (not in the references): 128
 * FP32 lanes (4 quadrants x 32) and 16 SFUs per quadrant. A softmax element costs 4 FP32 lane operations
 * (max, scale-and-subtract as one FMA, sum, final scaling) and one SFU exp: min(128 / 4, 64 / 1) = 32
 * elements per SM cycle. Conversions and the two reductions' shuffles are taken to hide in the
 * other pipelines.
 */
final class SoftmaxPass {
  static final int FP32_LANES_PER_SM = 128;
  static final int SFU_PER_SM = 64;
  static final int FP32_OPS_PER_ELEMENT = 4;
  static final int ELEMENTS_PER_CYCLE = Math.min(FP32_LANES_PER_SM / FP32_OPS_PER_ELEMENT, SFU_PER_SM);
  /** A block's size in SMEM: two buffers of it fit comfortably in an SM's 228 KB (assumed, as a kernel sizes its CTA). */
  static final int BLOCK_BYTES = 32 * 1024;
  private static final int BUFFERS = 2;

  /**
   * A row-major matrix to normalise: row r reads {@code cols} elements from {@code inBase}, or with a
   * mask ({@code maskOffset >= 0}) only keys up to {@code maskOffset + r / rowsPerToken}, and writes them
   * at {@code outBase}.
   */
  record Matrix(long inBase, long outBase, int rows, int cols, int maskOffset, int rowsPerToken) {
    int valid(int row) {
      return maskOffset < 0 ? cols : (int) Math.min(cols, (long) maskOffset + row / rowsPerToken + 1);
    }
  }

  private final XpuConfig config;
  private final List<Matrix> matrices;
  private final double bytesPerElement;
  private final Scheduler scheduler;
  private final ClockDomain xpuClock;
  private final ClockDomain hbmClock;
  private final HbmPort port;
  private final L2Cache l2;
  private final VectorSm[] sms;
  private final int sector;
  private final IntArrayList blockMatrix = new IntArrayList();
  private final IntArrayList blockRow = new IntArrayList();
  private final IntArrayList blockRows = new IntArrayList();
  private final LongArrayList blockElements = new LongArrayList();
  private final Runnable onDone;
  private int nextBlock;
  private int smsFinished;
  private long computeEnd;
  private long busyCycles;
  private long elements;
  private boolean done;

  SoftmaxPass(XpuConfig config, MemorySystem memory, Scheduler scheduler, ClockDomain xpuClock, List<Matrix> matrices,
      double bytesPerElement, Runnable onDone) {
    this.config = config;
    this.matrices = matrices;
    this.bytesPerElement = bytesPerElement;
    this.scheduler = scheduler;
    this.xpuClock = xpuClock;
    this.hbmClock = memory.clock();
    this.sector = config.sectorBytes();
    this.onDone = onDone;
    for (int i = 0; i < matrices.size(); i++) {
      Matrix mx = matrices.get(i);
      int first = 0;
      long inBlock = 0;
      for (int r = 0; r < mx.rows(); r++) {
        long e = mx.valid(r);
        if (r > first && (inBlock + e) * bytesPerElement > BLOCK_BYTES) {
          addBlock(i, first, r - first, inBlock);
          first = r;
          inBlock = 0;
        }
        inBlock += e;
      }
      addBlock(i, first, mx.rows() - first, inBlock);
    }
    port = new HbmPort(memory, scheduler, (missId, cycle) -> l2().sectorArrived(missId, cycle), this::maybeStop);
    port.attach(scheduler.register(port, hbmClock));
    sms = new VectorSm[config.sms()];
    VectorSm[] all = sms;
    l2 = new L2Cache(config, this::queueReads, (sm, slot, cycle) -> all[sm].deliver(slot, cycle),
        c -> xpuClock.cycleAtOrAfter(hbmClock.tickOf(c)));
    for (int s = 0; s < sms.length; s++) {
      sms[s] = new VectorSm(s);
      sms[s].id = scheduler.register(sms[s], xpuClock);
    }
  }

  private L2Cache l2() {
    return l2;
  }

  private void addBlock(int matrix, int firstRow, int rows, long elementCount) {
    blockMatrix.add(matrix);
    blockRow.add(firstRow);
    blockRows.add(rows);
    blockElements.add(elementCount);
  }

  private int queueReads(long block, int missId, long dueXpuCycle) {
    return rows((int) block, missId, hbmClock.cycleAtOrAfter(xpuClock.tickOf(dueXpuCycle)), false);
  }

  /** Reads (for {@code missId}) or writes the valid part of every row of {@code block}; returns its sectors. */
  private int rows(int block, int missId, long due, boolean write) {
    Matrix mx = matrices.get(blockMatrix.getInt(block));
    int sectors = 0;
    int first = blockRow.getInt(block);
    for (int r = first; r < first + blockRows.getInt(block); r++) {
      long rowStart = (long) r * mx.cols();
      long base = write ? mx.outBase() : mx.inBase();
      long s0 = (base + (long) Math.floor(rowStart * bytesPerElement)) / sector;
      long s1 = (base + (long) Math.ceil((rowStart + mx.valid(r)) * bytesPerElement) + sector - 1) / sector;
      for (long s = s0; s < s1; s++) {
        if (write) {
          port.write(s * sector, due);
        } else {
          port.read(s * sector, missId, due);
        }
      }
      sectors += (int) (s1 - s0);
    }
    return sectors;
  }

  private void maybeStop() {
    if (smsFinished == sms.length && port.writesOutstanding() == 0 && !done) {
      done = true;
      onDone.run();
    }
  }

  /** xPU cycle the last row was written (valid once done). */
  long endCycle() {
    if (!done) {
      throw new IllegalStateException("xpu softmax did not finish");
    }
    return Math.max(computeEnd, xpuClock.cycleAtOrAfter(hbmClock.tickOf(port.lastCompletion())));
  }

  long dramBytes() {
    return (port.readSectors() + port.writeSectors()) * sector;
  }

  /** SM cycles the vector units were busy, summed over SMs. */
  long busyCycles() {
    return busyCycles;
  }

  long elements() {
    return elements;
  }

  /** One SM running the kernel: double-buffered block loads, computes in order, writes when done. */
  private final class VectorSm implements Component {
    private final int index;
    private int id;
    private final int[] slotBlock = new int[BUFFERS];
    private final boolean[] slotArrived = new boolean[BUFFERS];
    private final long[] slotReady = new long[BUFFERS];
    private final long[] slotRelease = new long[BUFFERS];
    private final LongArrayFIFOQueue writeAt = new LongArrayFIFOQueue();
    private final IntArrayFIFOQueue writeBlock = new IntArrayFIFOQueue();
    private long loadSeq;
    private long computeSeq;
    private long vectorFree;
    private boolean noMoreBlocks;
    private boolean finished;

    VectorSm(int index) {
      this.index = index;
    }

    void deliver(int slot, long cycle) {
      slotArrived[slot] = true;
      slotReady[slot] = cycle;
      scheduler.wake(id, cycle);
    }

    @Override
    public long tick(long now) {
      long writeDue = hbmClock.cycleAtOrAfter(xpuClock.tickOf(now + config.l2LatencyCycles() / 2));
      while (!writeAt.isEmpty() && writeAt.firstLong() <= now) {
        writeAt.dequeueLong();
        rows(writeBlock.dequeueInt(), -1, writeDue, true);
      }
      while (computeSeq < loadSeq) {
        int slot = (int) (computeSeq % BUFFERS);
        if (!slotArrived[slot] || slotReady[slot] > now) {
          break;
        }
        int block = slotBlock[slot];
        long n = blockElements.getLong(block);
        long cycles = Math.max(1, (n + ELEMENTS_PER_CYCLE - 1) / ELEMENTS_PER_CYCLE);
        long start = Math.max(now, vectorFree);
        vectorFree = start + cycles;
        busyCycles += cycles;
        elements += n;
        slotRelease[slot] = vectorFree;
        writeAt.enqueue(vectorFree);
        writeBlock.enqueue(block);
        computeSeq++;
      }
      while (!noMoreBlocks && loadSeq - computeSeq < BUFFERS && slotRelease[(int) (loadSeq % BUFFERS)] <= now) {
        if (nextBlock == blockMatrix.size()) {
          noMoreBlocks = true;
          break;
        }
        int block = nextBlock++;
        int slot = (int) (loadSeq % BUFFERS);
        slotBlock[slot] = block;
        slotArrived[slot] = false;
        loadSeq++;
        long bytes = (long) Math.ceil(blockElements.getLong(block) * bytesPerElement);
        l2.request(index, slot, block, (int) bytes, now);
      }
      if (noMoreBlocks && computeSeq == loadSeq && writeAt.isEmpty() && !finished) {
        finished = true;
        computeEnd = Math.max(computeEnd, vectorFree);
        smsFinished++;
        maybeStop();
      }
      long next = writeAt.isEmpty() ? NEVER : writeAt.firstLong();
      if (computeSeq < loadSeq) {
        int slot = (int) (computeSeq % BUFFERS);
        if (slotArrived[slot] && slotReady[slot] > now) {
          next = Math.min(next, slotReady[slot]);
        }
      }
      if (!noMoreBlocks && loadSeq - computeSeq < BUFFERS) {
        long release = slotRelease[(int) (loadSeq % BUFFERS)];
        if (release > now) {
          next = Math.min(next, release);
        }
      }
      return next;
    }
  }
}
