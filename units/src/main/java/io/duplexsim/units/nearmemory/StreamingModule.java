package io.duplexsim.units.nearmemory;

import io.duplexsim.memory.MemoryClient;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;
import java.util.List;

/**
 * The near-memory module of one pseudo-channel: it streams a sequence of segments (a GEMM's column
 * slice; an attention pair's K, then its V) with multi-bank reads (a Logic-PIM ALL-RD brings 8 banks x
 * 32 B, a Bank-PIM MACAB 32 banks x 32 B), keeps as many in flight as its buffer holds, and runs each
 * arrived chunk through its MACs at the segment's rate. Memory and compute overlap; whichever is
 * slower sets the time, and it is simulated, not assumed.
 *
 * <p>A segment may be gated: its first chunk may not start before {@link #openGate} (attention's
 * context waits for its softmax), though its reads are issued ahead as buffer space allows. A
 * listener hears when a segment's last MACs finish.
 */
final class StreamingModule implements Component, MemoryClient {
  /** Hears that a segment's last chunk has left the MACs, on the module's cycle {@code cycle}. */
  interface SegmentListener {
    void segmentDone(StreamingModule module, int segment, long cycle);
  }

  private final int index;
  private final int pseudoChannel;
  private final int pseudoChannels;
  private final MemorySystem memory;
  private final Scheduler scheduler;
  private final ClockDomain clock;
  private final ClockDomain memoryClock;
  private final long chunks;
  private final int chunkBytes;
  /** Per segment: exclusive end (in chunks), MAC cycles per chunk, cycle its gate opens. */
  private final long[] segmentEnd;
  private final long[] cyclesPerChunk;
  private final long[] gateOpen;
  private final int slots;
  private final long[] arrival;
  private final RequestType read;
  private final Runnable onLastChunk;
  private final SegmentListener listener;
  private int id;
  private long addressBase;
  private long issued;
  private long started;
  private int startSegment;
  private int pendingDone = -1;
  private long busyUntil;
  private long busyCycles;
  private long doneCycle = -1;
  /** If set, each chunk's MAC end cycle, by chunk index. */
  private long[] chunkEnds;

  /**
   * @param index the module's index among its run's modules (for listeners)
   * @param segmentChunks chunks of each segment, all positive
   * @param segmentMacs MACs each chunk of a segment needs
   * @param gated whether each segment waits for {@link #openGate}
   */
  StreamingModule(int index, int pseudoChannel, int pseudoChannels, MemorySystem memory, Scheduler scheduler,
      ClockDomain clock, int chunkBytes, long[] segmentChunks, long[] segmentMacs, boolean[] gated,
      NearMemoryConfig config, Runnable onLastChunk, SegmentListener listener) {
    this.index = index;
    this.pseudoChannel = pseudoChannel;
    this.pseudoChannels = pseudoChannels;
    this.memory = memory;
    this.scheduler = scheduler;
    this.clock = clock;
    this.memoryClock = memory.clock();
    this.chunkBytes = chunkBytes;
    int n = segmentChunks.length;
    this.segmentEnd = new long[n];
    this.cyclesPerChunk = new long[n];
    this.gateOpen = new long[n];
    long end = 0;
    for (int s = 0; s < n; s++) {
      if (segmentChunks[s] <= 0) {
        throw new IllegalArgumentException("segment " + s + " has no chunks");
      }
      end += segmentChunks[s];
      segmentEnd[s] = end;
      cyclesPerChunk[s] = Math.max(1, (segmentMacs[s] + config.macsPerCycle() - 1) / config.macsPerCycle());
      gateOpen[s] = gated[s] ? Long.MAX_VALUE : 0;
    }
    this.chunks = end;
    this.slots = Math.max(1, config.bufferBytes() / chunkBytes);
    this.arrival = new long[slots];
    this.read = config.read();
    this.onLastChunk = onLastChunk;
    this.listener = listener;
  }

  /** A module streaming one ungated segment (a GEMM slice of {@code weightBytes}). */
  static StreamingModule single(int pseudoChannel, int pseudoChannels, MemorySystem memory, Scheduler scheduler,
      ClockDomain clock, long weightBytes, int chunkBytes, long macsPerChunk, NearMemoryConfig config,
      Runnable onLastChunk) {
    long n = (weightBytes + chunkBytes - 1) / chunkBytes;
    boolean empty = n == 0;
    return new StreamingModule(pseudoChannel, pseudoChannel, pseudoChannels, memory, scheduler, clock, chunkBytes,
        empty ? new long[0] : new long[] {n}, empty ? new long[0] : new long[] {macsPerChunk},
        empty ? new boolean[0] : new boolean[] {false}, config, onLastChunk, null);
  }

  /** Places the module's data from byte {@code base} on (a region of the address space, e.g. other bundles). */
  void placeAt(long base) {
    this.addressBase = base;
  }

  /** Records each chunk's MAC end cycle into {@code ends} (one slot per chunk). */
  void recordChunkEnds(long[] ends) {
    this.chunkEnds = ends;
  }

  void attach(int componentId) {
    this.id = componentId;
    if (chunks == 0) {
      doneCycle = 0;
      onLastChunk.run();
    }
  }

  /** Lets gated segment {@code segment} start from time {@code tick} on. */
  void openGate(int segment, long tick) {
    long at = clock.cycleAtOrAfter(tick);
    gateOpen[segment] = at;
    scheduler.wakeAtTick(id, clock.tickOf(at));
  }

  @Override
  public long tick(long now) {
    if (pendingDone >= 0 && busyUntil <= now) {
      int s = pendingDone;
      pendingDone = -1;
      listener.segmentDone(this, s, busyUntil);
    }
    // A chunk's buffer slot frees when the MACs are done with it.
    long finished = busyUntil <= now ? started : started - 1;
    long memCycle = memoryClock.cycleAtOrAfter(clock.tickOf(now));
    while (issued < chunks && issued - finished < slots) {
      // Read units of this pseudo-channel: the channel field is the lowest of the mapping.
      long address = addressBase + (issued * pseudoChannels + pseudoChannel) * (long) chunkBytes;
      arrival[(int) (issued % slots)] = Long.MAX_VALUE;
      if (!memory.submit(address, read, issued, this, memCycle, id)) {
        break; // the controller wakes us when its queue has room
      }
      issued++;
    }
    // The next chunk starts when the MACs are free, its data has arrived and its segment's gate is open.
    if (started < issued && busyUntil <= now && arrival[(int) (started % slots)] <= now
        && gateOpen[startSegment] <= now) {
      long c = cyclesPerChunk[startSegment];
      busyUntil = now + c;
      busyCycles += c;
      if (chunkEnds != null) {
        chunkEnds[(int) started] = busyUntil;
      }
      started++;
      if (started == segmentEnd[startSegment]) {
        if (listener != null) {
          pendingDone = startSegment;
        }
        startSegment++;
      }
      if (started == chunks) {
        doneCycle = busyUntil;
        onLastChunk.run();
      }
      return busyUntil;
    }
    long next = busyUntil > now ? busyUntil : NEVER;
    if (started < issued) {
      long at = arrival[(int) (started % slots)];
      if (at != Long.MAX_VALUE && at > now) {
        next = Math.min(next, at);
      }
      long gate = gateOpen[startSegment];
      if (gate != Long.MAX_VALUE && gate > now) {
        next = Math.min(next, gate);
      }
    }
    return next;
  }

  @Override
  public void onComplete(long tag, long completionCycle) {
    long at = clock.cycleAtOrAfter(memoryClock.tickOf(completionCycle));
    arrival[(int) (tag % slots)] = at;
    scheduler.wakeAtTick(id, clock.tickOf(at));
  }

  int index() {
    return index;
  }

  long doneCycle() {
    return doneCycle;
  }

  long busyCycles() {
    return busyCycles;
  }

  long chunks() {
    return chunks;
  }

  /** Unit cycle at which the last of {@code modules} finished its last chunk, or -1 while one has not. */
  static long lastDoneCycle(List<StreamingModule> modules) {
    long done = 0;
    for (StreamingModule m : modules) {
      if (m.chunks() > 0 && m.doneCycle() < 0) {
        return -1;
      }
      done = Math.max(done, m.doneCycle());
    }
    return done;
  }

  /** {@link #lastDoneCycle}, which must be known: {@code what} names the unit in the error otherwise. */
  static long requireDone(List<StreamingModule> modules, String what) {
    long done = lastDoneCycle(modules);
    if (done < 0) {
      throw new IllegalStateException(what + " module did not finish");
    }
    return done;
  }

  /** MAC-busy cycles of {@code modules}, summed. */
  static long busyCycles(List<StreamingModule> modules) {
    return modules.stream().mapToLong(StreamingModule::busyCycles).sum();
  }
}
