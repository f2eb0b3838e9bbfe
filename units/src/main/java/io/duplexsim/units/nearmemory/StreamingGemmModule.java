package io.duplexsim.units.nearmemory;

import io.duplexsim.memory.MemoryClient;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;

/**
 * The near-memory GEMM module of one pseudo-channel, running its column slice of Y = X W: it streams
 * its weights with multi-bank reads (a Logic-PIM ALL-RD brings 8 banks x 32 B, a Bank-PIM MACAB 32
 * banks x 32 B), keeps as many in flight as its buffer holds, and multiplies each arrived chunk by the
 * m input rows at its MAC rate. Memory and compute overlap; whichever is slower sets the time, and it
 * is simulated, not assumed.
 */
final class StreamingGemmModule implements Component, MemoryClient {
  private final int pseudoChannel;
  private final int pseudoChannels;
  private final MemorySystem memory;
  private final Scheduler scheduler;
  private final ClockDomain clock;
  private final ClockDomain memoryClock;
  private final long chunks;
  private final int chunkBytes;
  private final long cyclesPerChunk;
  private final int slots;
  private final long[] arrival;
  private final RequestType read;
  private int id;
  private long issued;
  private long started;
  private long busyUntil;
  private long busyCycles;
  private long doneCycle = -1;
  private final Runnable onLastChunk;

  StreamingGemmModule(int pseudoChannel, int pseudoChannels, MemorySystem memory, Scheduler scheduler, ClockDomain clock,
      long weightBytes, int chunkBytes, long macsPerChunk, NearMemoryConfig config, Runnable onLastChunk) {
    this.onLastChunk = onLastChunk;
    this.pseudoChannel = pseudoChannel;
    this.pseudoChannels = pseudoChannels;
    this.memory = memory;
    this.scheduler = scheduler;
    this.clock = clock;
    this.memoryClock = memory.clock();
    this.chunkBytes = chunkBytes;
    this.chunks = (weightBytes + chunkBytes - 1) / chunkBytes;
    this.cyclesPerChunk = Math.max(1, (macsPerChunk + config.macsPerCycle() - 1) / config.macsPerCycle());
    this.slots = Math.max(1, config.bufferBytes() / chunkBytes);
    this.arrival = new long[slots];
    this.read = config.read();
  }

  void attach(int componentId) {
    this.id = componentId;
    if (chunks == 0) {
      doneCycle = 0;
      onLastChunk.run();
    }
  }

  @Override
  public long tick(long now) {
    // A chunk's buffer slot frees when the MACs are done with it.
    long finished = busyUntil <= now ? started : started - 1;
    long memCycle = memoryClock.cycleAtOrAfter(clock.tickOf(now));
    while (issued < chunks && issued - finished < slots) {
      // Read units of this pseudo-channel: the channel field is the lowest of the mapping.
      long address = (issued * pseudoChannels + pseudoChannel) * (long) chunkBytes;
      arrival[(int) (issued % slots)] = Long.MAX_VALUE;
      if (!memory.submit(address, read, issued, this, memCycle, id)) {
        break; // the controller wakes us when its queue has room
      }
      issued++;
    }
    // The next chunk starts when the MACs are free and its data has arrived.
    if (started < issued && busyUntil <= now && arrival[(int) (started % slots)] <= now) {
      busyUntil = now + cyclesPerChunk;
      busyCycles += cyclesPerChunk;
      started++;
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
    }
    return next;
  }

  @Override
  public void onComplete(long tag, long completionCycle) {
    long at = clock.cycleAtOrAfter(memoryClock.tickOf(completionCycle));
    arrival[(int) (tag % slots)] = at;
    scheduler.wakeAtTick(id, clock.tickOf(at));
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
}
