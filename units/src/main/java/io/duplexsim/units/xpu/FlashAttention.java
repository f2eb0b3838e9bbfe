package io.duplexsim.units.xpu;

import io.duplexsim.isa.Attention;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;

/**
 * A fused, FlashAttention-2-style attention kernel on the xPU, cycle by cycle through the L2 and the
 * HBM model. SMs take work items ({@link FlashTiling}) from one queue; an item loads its query tile
 * once, then for each KV tile loads K_j and V_j into one SMEM stage (the stage's two chunks), computes
 * S = Q K_j^T on the arrays, the online softmax of S on the vector lanes, and O += P V_j on the
 * arrays; S and P never leave the SM. At its end the item writes O, or, as one of several KV splits,
 * leaves its partial O and log-sum-exp in L2, and the last split to finish combines them and writes O
 * (the serial reduction of split-K; FlashDecoding runs it as a separate small kernel).
 *
 * <p>Assumptions, named: Br = the xPU's tileM (128) query rows and Bc = {@value #BLOCK_KEYS} keys
 * (FlashAttention-3's head-dim-128 forward tile), {@value #STAGES} K/V stages plus two query buffers
 * (2 x 64 KiB + 2 x 32 KiB of the 228 KB SMEM). Inside an item the arrays wait for the softmax (as a
 * FlashAttention-2 warp runs S, softmax, PV in turn; FlashAttention-3's ping-pong scheduling would hide
 * it). The online softmax runs at {@link SoftmaxPass#ELEMENTS_PER_CYCLE} per score, plus the rescale of
 * the running O (one FP32 lane operation per element of O per KV tile) and O's final division.
 */
final class FlashAttention {
  /** Keys per KV tile. */
  static final int BLOCK_KEYS = 128;
  /** K/V stages in SMEM (FlashAttention-3 double-buffers K and V). */
  static final int STAGES = 2;
  /** Partial outputs and the log-sum-exp of a split are FP32. */
  private static final int PARTIAL_BYTES = 4;

  private final XpuConfig config;
  private final FlashTiling work;
  private final Scheduler scheduler;
  private final ClockDomain xpuClock;
  private final ClockDomain hbmClock;
  private final HbmPort port;
  private final L2Cache l2;
  private final FlashSm[] sms;
  private final double bytesPerElement;
  private final int sector;
  private final int[] splitsLeft;
  private final Runnable onDone;
  private int nextItem;
  private int smsFinished;
  private long computeEnd;
  private long combineCycles;
  private boolean done;

  FlashAttention(XpuConfig config, MemorySystem memory, Scheduler scheduler, ClockDomain xpuClock, Attention a,
      int forcedSplits, Runnable onDone) {
    this.config = config;
    this.scheduler = scheduler;
    this.xpuClock = xpuClock;
    this.hbmClock = memory.clock();
    this.onDone = onDone;
    this.work = new FlashTiling(config, a, BLOCK_KEYS, forcedSplits);
    this.bytesPerElement = a.format().bytesPerElement();
    this.sector = config.sectorBytes();
    int cols = config.arrayCols() * (XpuGemm.eightBit(a.format()) ? 2 : 1); // W8A8 packs two MACs per PE
    splitsLeft = new int[work.blocks()];
    for (int i = 0; i < work.items(); i++) {
      splitsLeft[work.block(i)] = work.splitsOf(i);
    }
    port = new HbmPort(memory, scheduler, (missId, cycle) -> l2().sectorArrived(missId, cycle), this::maybeStop);
    port.attach(scheduler.register(port, hbmClock));
    sms = new FlashSm[config.sms()];
    FlashSm[] all = sms;
    l2 = new L2Cache(config, this::queueReads, (sm, slot, cycle) -> all[sm].deliver(slot, cycle),
        c -> xpuClock.cycleAtOrAfter(hbmClock.tickOf(c)));
    for (int s = 0; s < sms.length; s++) {
      sms[s] = new FlashSm(s, this, STAGES, cols);
      sms[s].attach(scheduler.register(sms[s], xpuClock));
    }
  }

  private L2Cache l2() {
    return l2;
  }

  XpuConfig config() {
    return config;
  }

  FlashTiling work() {
    return work;
  }

  int takeItem() {
    return nextItem < work.items() ? nextItem++ : -1;
  }

  void wakeSm(int componentId, long xpuCycle) {
    scheduler.wake(componentId, xpuCycle);
  }

  // L2 chunk keys: (pair, tile) above two bits naming Q (tile = the item), K or V.
  private static final int Q = 0;
  private static final int K = 1;
  private static final int V = 2;

  private static long key(int kind, int pairOrItem, int tile) {
    return ((long) pairOrItem << 32 | tile) << 2 | kind;
  }

  void loadQuery(int sm, int slot, int item, long now) {
    // Splits of one query block read the same Q: keyed by its first item, so they share it in L2.
    int first = item;
    while (first > 0 && work.block(first - 1) == work.block(item)) {
      first--;
    }
    l2.request(sm, slot, key(Q, first, 0), bytes((long) work.rows(item) * work.headDim()), now);
  }

  void loadKv(int sm, int slot, int item, int tile, long now) {
    int pair = work.pair(item);
    int bytes = bytes((long) work.keys(pair, tile) * work.headDim());
    l2.request(sm, slot, key(K, pair, tile), bytes, now);
    l2.request(sm, slot, key(V, pair, tile), bytes, now);
  }

  private int bytes(long elements) {
    return (int) Math.ceil(elements * bytesPerElement);
  }

  /** Queues the DRAM sectors of a chunk: every chunk is one contiguous byte range. */
  private int queueReads(long key, int missId, long dueXpuCycle) {
    long due = hbmClock.cycleAtOrAfter(xpuClock.tickOf(dueXpuCycle));
    int kind = (int) (key & 3);
    int id = (int) (key >>> 34);
    int tile = (int) ((key >>> 2) & 0xffffffffL);
    long start;
    long length;
    if (kind == Q) {
      start = work.qAddress(id);
      length = bytes((long) work.rows(id) * work.headDim());
    } else {
      start = kind == K ? work.kAddress(id, tile) : work.vAddress(id, tile);
      length = bytes((long) work.keys(id, tile) * work.headDim());
    }
    return range(start, length, missId, due, false);
  }

  private int range(long start, long length, int missId, long due, boolean write) {
    long s0 = start / sector;
    long s1 = (start + length + sector - 1) / sector;
    for (long s = s0; s < s1; s++) {
      if (write) {
        port.write(s * sector, due);
      } else {
        port.read(s * sector, missId, due);
      }
    }
    return (int) (s1 - s0);
  }

  /**
   * Item {@code item}'s last PV has left the arrays at {@code now}: write O, or leave a split's partial
   * in L2; the last split of a query block reads the others' partials back from L2, rescales and sums
   * them on its vector lanes and writes O.
   */
  void itemDone(int sm, int item, long now) {
    int rows = work.rows(item);
    int d = work.headDim();
    int splits = work.splitsOf(item);
    long partial = ((long) rows * d + rows) * PARTIAL_BYTES;
    long t = now;
    if (splits > 1) {
      if (--splitsLeft[work.block(item)] > 0) {
        l2.absorb(sm, (int) partial, now);
        return;
      }
      t = l2.absorb(sm, (int) (partial * (splits - 1)), now);
      long cycles = ceilDiv((long) splits * rows * d, SoftmaxPass.FP32_LANES_PER_SM);
      combineCycles += cycles;
      t += cycles;
      computeEnd = Math.max(computeEnd, t);
    }
    long due = hbmClock.cycleAtOrAfter(xpuClock.tickOf(t + config.l2LatencyCycles() / 2));
    range(work.oAddress(item), bytes((long) rows * d), -1, due, true);
  }

  void smFinished(long lastEnd) {
    computeEnd = Math.max(computeEnd, lastEnd);
    smsFinished++;
    maybeStop();
  }

  private void maybeStop() {
    if (smsFinished == sms.length && port.writesOutstanding() == 0 && !done) {
      done = true;
      onDone.run();
    }
  }

  /** xPU cycle at which the last output was written (valid once done). */
  long endCycle() {
    if (!done) {
      throw new IllegalStateException("xpu flash attention did not finish (" + smsFinished + " of " + sms.length
          + " SMs)");
    }
    return Math.max(computeEnd, xpuClock.cycleAtOrAfter(hbmClock.tickOf(port.lastCompletion())));
  }

  /** MACs the arrays performed, checked against what the items issue. */
  long macs() {
    long macs = 0;
    for (FlashSm sm : sms) {
      macs += sm.usefulMacs();
    }
    if (macs != work.macs()) {
      throw new IllegalStateException("xpu flash attention computed " + macs + " MACs, expected " + work.macs());
    }
    return macs;
  }

  /** Score elements the SMs' online softmax processed. */
  long softmaxElements() {
    long n = 0;
    for (FlashSm sm : sms) {
      n += sm.softmaxElements();
    }
    return n;
  }

  /** SM cycles spent combining KV splits. */
  long combineCycles() {
    return combineCycles;
  }

  long dramBytes() {
    return (port.readSectors() + port.writeSectors()) * sector;
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  static int ceilDivInt(int a, int b) {
    return (a + b - 1) / b;
  }
}
