package io.duplexsim.units.xpu;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2IntLinkedOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.function.LongUnaryOperator;

/**
 * The xPU's L2: residency tracked per operand chunk (one SMEM stage's tile of X or W, whose lines are
 * always touched together, so chunk LRU is line LRU for tiled GEMMs), misses merged per chunk (later
 * requesters wait on the one in flight), and two bandwidth servers every delivery passes: the L2's
 * total bandwidth and the requesting SM's port. Latency: half of {@code l2LatencyCycles} to reach
 * the L2 (and the DRAM queues on a miss), half to come back.
 */
final class L2Cache implements HbmPort.ReadSink {
  /** Gets a chunk's DRAM sectors queued for a miss. */
  interface ChunkReader {
    /** Queues the reads of chunk {@code key} for miss {@code missId}; returns the sectors queued. */
    int queueReads(long key, int missId, long dueCycle);
  }

  /** Receives a chunk in an SM's stage slot. */
  interface Delivery {
    void deliver(int sm, int slot, long cycle);
  }

  private static final class Miss {
    final long key;
    final int bytes;
    int sectorsLeft;
    long lastArrival;
    final IntArrayList waiters = new IntArrayList(2); // sm << 8 | slot

    Miss(long key, int bytes) {
      this.key = key;
      this.bytes = bytes;
    }
  }

  private final XpuConfig config;
  private final long capacity;
  private final Long2IntLinkedOpenHashMap resident = new Long2IntLinkedOpenHashMap();
  private long residentBytes;
  private final Long2ObjectOpenHashMap<Miss> inFlight = new Long2ObjectOpenHashMap<>();
  private final Int2ObjectOpenHashMap<Miss> byId =
      new Int2ObjectOpenHashMap<>();
  private int nextMissId;
  private double l2Free;
  private final double[] smFree;
  private final double l2BytesPerCycle;
  private final ChunkReader reader;
  private final Delivery delivery;
  private final LongUnaryOperator memoryToXpuCycle;
  private long hits;
  private long misses;
  private long merged;

  L2Cache(XpuConfig config, ChunkReader reader, Delivery delivery,
      LongUnaryOperator memoryToXpuCycle) {
    this.config = config;
    this.capacity = config.l2Bytes();
    this.smFree = new double[config.sms()];
    this.l2BytesPerCycle = config.l2BytesPerCycle();
    this.reader = reader;
    this.delivery = delivery;
    this.memoryToXpuCycle = memoryToXpuCycle;
  }

  /** SM {@code sm} wants chunk {@code key} ({@code bytes} long) in its stage {@code slot}, asked at {@code now}. */
  void request(int sm, int slot, long key, int bytes, long now) {
    int half = config.l2LatencyCycles() / 2;
    if (resident.containsKey(key)) {
      resident.getAndMoveToLast(key);
      hits++;
      delivery.deliver(sm, slot, serve(sm, bytes, now + config.l2LatencyCycles()));
      return;
    }
    Miss miss = inFlight.get(key);
    if (miss != null) {
      merged++;
      miss.waiters.add(sm << 8 | slot);
      return;
    }
    misses++;
    miss = new Miss(key, bytes);
    int missId = nextMissId++;
    miss.waiters.add(sm << 8 | slot);
    inFlight.put(key, miss);
    byId.put(missId, miss);
    miss.sectorsLeft = reader.queueReads(key, missId, now + half);
    if (miss.sectorsLeft == 0) {
      throw new IllegalStateException("chunk " + key + " has no sectors");
    }
  }

  @Override
  public void sectorArrived(int missId, long memoryCycle) {
    Miss miss = byId.get(missId);
    miss.lastArrival = Math.max(miss.lastArrival, memoryCycle);
    if (--miss.sectorsLeft > 0) {
      return;
    }
    byId.remove(missId);
    inFlight.remove(miss.key);
    insert(miss.key, miss.bytes);
    long filled = memoryToXpuCycle.applyAsLong(miss.lastArrival) + config.l2LatencyCycles() / 2;
    for (int i = 0; i < miss.waiters.size(); i++) {
      int w = miss.waiters.getInt(i);
      delivery.deliver(w >>> 8, w & 0xff, serve(w >>> 8, miss.bytes, filled));
    }
  }

  /** A write of {@code bytes} from SM {@code sm} into L2 (split-K partial sums): only its bandwidth. */
  long absorb(int sm, int bytes, long now) {
    return serve(sm, bytes, now);
  }

  private void insert(long key, int bytes) {
    if (bytes > capacity) {
      return;
    }
    while (residentBytes + bytes > capacity) {
      residentBytes -= resident.removeFirstInt();
    }
    resident.put(key, bytes);
    residentBytes += bytes;
  }

  /** Passes {@code bytes} through the L2's and the SM's bandwidth, FIFO; returns the cycle they have arrived. */
  private long serve(int sm, int bytes, long at) {
    double l2Start = Math.max(at, l2Free);
    l2Free = l2Start + bytes / l2BytesPerCycle;
    double smStart = Math.max(at, smFree[sm]);
    smFree[sm] = smStart + (double) bytes / config.smLoadBytesPerCycle();
    return (long) Math.ceil(Math.max(l2Free, smFree[sm]));
  }

  long hits() {
    return hits;
  }

  long misses() {
    return misses;
  }

  long merged() {
    return merged;
  }
}
