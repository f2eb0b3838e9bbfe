package io.duplexsim.units.xpu;

import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.units.OpResult;
import java.util.List;

/**
 * A streaming vector operator on the xPU (norms, activations, residual adds, rotary, KV appends,
 * loads and stores): its input moves in chunks from HBM through the xPU's per-pseudo-channel miss
 * queues, the SMs' vector lanes work on each arrived chunk, and the output chunk is written back.
 * Reads run ahead by a bounded number of chunks (the SMs' buffers), so memory and vector time overlap
 * as far as they really do. The vector lanes of all SMs are one engine here, doing their total work
 * per cycle ({@link #VECTOR_FLOPS_PER_SM_CYCLE} per SM), each chunk's share of the work in whole cycles.
 */
public final class XpuStream implements Component {
  /** Chunk of the stream: one SM stage's worth. */
  static final int CHUNK_BYTES = 8192;
  /**
   * Vector work per SM per cycle: H100's 128 FP32 lanes per SM, an FMA counting two operations
   * (NVIDIA H100 whitepaper: 128 FP32 cores per SM).
   */
  static final int VECTOR_FLOPS_PER_SM_CYCLE = 256;

  private final HbmPort port;
  private final Scheduler scheduler;
  private final ClockDomain clock;
  private final ClockDomain hbm;
  private final long readChunks;
  private final long writeChunks;
  private final long chunks;
  private final long cyclesPerChunk;
  private final int window;
  private final long readBase;
  private final long writeBase;
  private final long[] arrival;
  private final int[] pendingSectors;
  private long requested;
  private long computed;
  private long busyUntil;
  private long computeEnd;
  /** Every chunk has been computed (and its writes queued); the stream ends when the writes drain. */
  private boolean computeDone;
  private boolean finished;
  private int id;
  private final Runnable onDone;

  private XpuStream(XpuConfig x, MemorySystem memory, Scheduler scheduler, ClockDomain clock, long readBytes,
      long writeBytes, long flops, long addressBase, Runnable onDone) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.hbm = memory.clock();
    this.onDone = onDone;
    this.port = new HbmPort(memory, scheduler, this::sectorArrived, this::writesDrained);
    port.attach(scheduler.register(port, hbm));
    this.readChunks = (readBytes + CHUNK_BYTES - 1) / CHUNK_BYTES;
    this.writeChunks = (writeBytes + CHUNK_BYTES - 1) / CHUNK_BYTES;
    this.chunks = Math.max(1, Math.max(readChunks, writeChunks));
    double perCycle = (double) VECTOR_FLOPS_PER_SM_CYCLE * x.sms();
    this.cyclesPerChunk = (long) Math.ceil(flops / perCycle / chunks);
    this.window = x.sms() * x.smemStages();
    this.arrival = new long[window];
    this.pendingSectors = new int[window];
    this.readBase = addressBase;
    this.writeBase = addressBase + ((readBytes + (2L << 20)) >> 21 << 21);
  }

  /** Runs a stream alone on a fresh device; see the class comment. */
  public static OpResult run(XpuConfig x, MemoryConfig memoryConfig, long readBytes, long writeBytes, long flops) {
    if (readBytes < 0 || writeBytes < 0 || flops < 0 || readBytes + writeBytes + flops == 0) {
      throw new IllegalArgumentException("a stream needs bytes or work");
    }
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain clock = XpuGemm.clock(x);
    TimeBase.of(List.of(hbm, clock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), memoryConfig.fastForward());
    MemorySystem memory = new MemorySystem(memoryConfig, standard, hbm, scheduler, null);
    XpuStream s = new XpuStream(x, memory, scheduler, clock, readBytes, writeBytes, flops, 0, scheduler::stop);
    s.id = scheduler.register(s, clock);
    scheduler.run();
    if (!s.finished) {
      throw new IllegalStateException("xpu stream did not finish");
    }
    long end = Math.max(s.computeEnd, clock.cycleAtOrAfter(hbm.tickOf(s.port.lastCompletion())));
    double ns = clock.nsOf(end);
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, hbm.cycleAtOrAfter(clock.tickOf(end)));
    ledger.add("xpu.vector", flops * XpuGemm.MAC_PJ / 2);
    long bytes = (s.port.readSectors() + s.port.writeSectors()) * x.sectorBytes();
    double busy = end == 0 ? 0 : (double) s.cyclesPerChunk * s.chunks / end;
    double dramUtil = ns == 0 ? 0 : bytes / ns / memory.peakGBps();
    return new OpResult(end, ns, flops, bytes, flops / Math.max(ns, 1e-9) / 1000, bytes / Math.max(ns, 1e-9), busy,
        busy >= dramUtil ? "compute" : "memory", ledger.totalPj(), ledger.byCategory());
  }

  @Override
  public long tick(long now) {
    long memNow = hbm.cycleAtOrAfter(clock.tickOf(now));
    // Keep up to `window` chunks requested ahead of the vector engine.
    while (requested < readChunks && requested - computed < window) {
      int slot = (int) (requested % window);
      arrival[slot] = Long.MAX_VALUE;
      long first = readBase + requested * CHUNK_BYTES;
      int sectors = CHUNK_BYTES / 32;
      pendingSectors[slot] = sectors;
      for (int s = 0; s < sectors; s++) {
        port.read(first + 32L * s, (int) requested, memNow);
      }
      requested++;
    }
    if (readChunks == 0) {
      requested = chunks;
    }
    // Compute chunks in order as they arrive; write each result chunk when it is done.
    while (computed < chunks && busyUntil <= now) {
      boolean ready = computed >= readChunks || arrival[(int) (computed % window)] <= now;
      if (!ready) {
        break;
      }
      busyUntil = now + cyclesPerChunk;
      computeEnd = busyUntil;
      if (computed < writeChunks) {
        long first = writeBase + computed * CHUNK_BYTES;
        long due = hbm.cycleAtOrAfter(clock.tickOf(busyUntil));
        for (int s = 0; s < CHUNK_BYTES / 32; s++) {
          port.write(first + 32L * s, due);
        }
      }
      computed++;
      if (cyclesPerChunk > 0) {
        break;
      }
    }
    if (computed == chunks && !computeDone) {
      computeDone = true;
      if (port.writesOutstanding() == 0) {
        finish();
      }
    }
    long next = NEVER;
    if (computed < chunks && busyUntil > now) {
      next = busyUntil;
    } else if (computed < chunks && computed < readChunks) {
      long at = arrival[(int) (computed % window)];
      if (at != Long.MAX_VALUE && at > now) {
        next = at;
      }
    }
    return next;
  }

  private void sectorArrived(int chunk, long memoryCycle) {
    int slot = chunk % window;
    if (--pendingSectors[slot] == 0) {
      long at = clock.cycleAtOrAfter(hbm.tickOf(memoryCycle));
      arrival[slot] = at;
      scheduler.wakeAtTick(id, clock.tickOf(at));
    }
  }

  private void writesDrained() {
    if (computeDone) {
      finish();
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      onDone.run();
    }
  }

}
