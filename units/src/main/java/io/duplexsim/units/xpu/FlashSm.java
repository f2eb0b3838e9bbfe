package io.duplexsim.units.xpu;

import io.duplexsim.sim.Component;
import io.duplexsim.units.systolic.WsFoldPipeline;
import it.unimi.dsi.fastutil.ints.IntArrayFIFOQueue;
import it.unimi.dsi.fastutil.longs.LongArrayFIFOQueue;

/**
 * One SM running fused attention items ({@link FlashAttention}): it takes the next item when it has
 * room, loads the item's query tile into one of two query buffers and each KV tile's K and V into one
 * of its stages, ahead of the arrays, and computes every arrived tile in order: S = Q K^T as
 * weight-stationary folds (K^T held, Q rows streamed; the tile's keys split over the arrays), the
 * online softmax on the vector lanes, then O += P V (V held, P rows streamed; head dim split over the
 * arrays). A stage frees when P has streamed past V; a query buffer when the item's last S has
 * streamed.
 */
final class FlashSm implements Component {
  private static final int QUERY_BUFFERS = 2;

  private final int index;
  private final FlashAttention run;
  private final FlashTiling work;
  private final WsFoldPipeline[] arrays;
  private final int stages;
  private final int arrayRows;
  private final int arrayCols;
  private final int[] slotItem;
  private final int[] slotTile;
  private final int[] slotQuery;
  private final int[] slotPending;
  private final long[] slotReady;
  private final long[] slotRelease;
  private final boolean[] queryPending = new boolean[QUERY_BUFFERS];
  private final boolean[] queryInUse = new boolean[QUERY_BUFFERS];
  private final long[] queryReady = new long[QUERY_BUFFERS];
  private final long[] queryRelease = new long[QUERY_BUFFERS];
  private final LongArrayFIFOQueue doneAt = new LongArrayFIFOQueue();
  private final IntArrayFIFOQueue doneItem = new IntArrayFIFOQueue();
  private long loadSeq;
  private long computeSeq;
  private int loadItem = -1;
  private int loadTile;
  private int loadQuery;
  private int itemsTaken;
  private long vectorFree;
  private long softmaxElements;
  private boolean noMoreItems;
  private boolean finished;
  private long lastEnd;
  private int id;

  FlashSm(int index, FlashAttention run, int stages, int arrayCols) {
    this.index = index;
    this.run = run;
    this.work = run.work();
    XpuConfig x = run.config();
    this.stages = stages;
    this.arrayRows = x.arrayRows();
    this.arrayCols = arrayCols;
    this.arrays = new WsFoldPipeline[x.arraysPerSm()];
    for (int a = 0; a < arrays.length; a++) {
      arrays[a] = new WsFoldPipeline(arrayRows, arrayCols);
    }
    slotItem = new int[stages];
    slotTile = new int[stages];
    slotQuery = new int[stages];
    slotPending = new int[stages];
    slotReady = new long[stages];
    slotRelease = new long[stages];
  }

  void attach(int componentId) {
    this.id = componentId;
  }

  /** A chunk arrives in slot {@code slot}: a stage (K or V) below {@code stages}, else a query buffer. */
  void deliver(int slot, long cycle) {
    if (slot >= stages) {
      int b = slot - stages;
      queryPending[b] = false;
      queryReady[b] = Math.max(queryReady[b], cycle);
      run.wakeSm(id, queryReady[b]);
      return;
    }
    slotReady[slot] = Math.max(slotReady[slot], cycle);
    if (--slotPending[slot] == 0) {
      run.wakeSm(id, slotReady[slot]);
    }
  }

  @Override
  public long tick(long now) {
    while (!doneAt.isEmpty() && doneAt.firstLong() <= now) {
      doneAt.dequeueLong();
      run.itemDone(index, doneItem.dequeueInt(), now);
    }
    while (computeSeq < loadSeq) {
      int slot = (int) (computeSeq % stages);
      int b = slotQuery[slot];
      if (slotPending[slot] > 0 || slotReady[slot] > now || queryPending[b] || queryReady[b] > now) {
        break;
      }
      computeTile(slot, b);
      computeSeq++;
    }
    while (!noMoreItems && loadSeq - computeSeq < stages && slotRelease[(int) (loadSeq % stages)] <= now) {
      if (loadItem < 0 || loadTile == work.tileEnd(loadItem)) {
        int b = itemsTaken % QUERY_BUFFERS;
        if (queryInUse[b] || queryRelease[b] > now) {
          break; // the item two back still streams its last S from this buffer
        }
        int item = run.takeItem();
        if (item < 0) {
          noMoreItems = true;
          break;
        }
        itemsTaken++;
        loadItem = item;
        loadTile = work.tileBegin(item);
        loadQuery = b;
        queryInUse[b] = true;
        queryPending[b] = true;
        queryReady[b] = now;
        run.loadQuery(index, stages + b, item, now); // may deliver at once
      }
      int slot = (int) (loadSeq % stages);
      slotItem[slot] = loadItem;
      slotTile[slot] = loadTile;
      slotQuery[slot] = loadQuery;
      slotPending[slot] = 2;
      slotReady[slot] = now;
      loadSeq++;
      loadTile++;
      run.loadKv(index, slot, slotItem[slot], slotTile[slot], now);
    }
    if (noMoreItems && computeSeq == loadSeq && doneAt.isEmpty() && !finished) {
      finished = true;
      run.smFinished(lastEnd);
    }
    long next = doneAt.isEmpty() ? NEVER : doneAt.firstLong();
    if (computeSeq < loadSeq) {
      int slot = (int) (computeSeq % stages);
      int b = slotQuery[slot];
      if (slotPending[slot] == 0 && !queryPending[b]) {
        long ready = Math.max(slotReady[slot], queryReady[b]);
        if (ready > now) {
          next = Math.min(next, ready);
        }
      }
    }
    if (!noMoreItems && loadSeq - computeSeq < stages) {
      long release = slotRelease[(int) (loadSeq % stages)];
      if (release > now) {
        next = Math.min(next, release);
      }
      int b = itemsTaken % QUERY_BUFFERS;
      if (!queryInUse[b] && queryRelease[b] > now) {
        next = Math.min(next, queryRelease[b]);
      }
    }
    return next;
  }

  private void computeTile(int slot, int b) {
    int item = slotItem[slot];
    int tile = slotTile[slot];
    int rows = work.rows(item);
    int keys = work.keys(work.pair(item), tile);
    int d = work.headDim();
    boolean last = tile == work.tileEnd(item) - 1;
    long ready = Math.max(slotReady[slot], queryReady[b]);
    // S = Q K^T: K^T [d x keys] held in the arrays, Q's rows streamed.
    long scoreStreamed = gemm(rows, d, keys, ready);
    long scores = end();
    if (last) {
      queryInUse[b] = false;
      queryRelease[b] = scoreStreamed;
    }
    // Online softmax: max, exp, sum per score; rescale the running O; divide O by the sum at the end.
    long cycles = FlashAttention.ceilDiv((long) rows * keys, SoftmaxPass.ELEMENTS_PER_CYCLE)
        + FlashAttention.ceilDiv((long) rows * d * (last ? 2 : 1), SoftmaxPass.FP32_LANES_PER_SM);
    vectorFree = Math.max(scores, vectorFree) + cycles;
    softmaxElements += (long) rows * keys;
    // O += P V: V [keys x d] held, P's rows streamed.
    slotRelease[slot] = gemm(rows, keys, d, vectorFree);
    if (last) {
      long end = end();
      lastEnd = Math.max(lastEnd, end);
      doneAt.enqueue(end);
      doneItem.enqueue(item);
    }
  }

  /** Issues m x k x n as folds, n split evenly over the arrays; returns when the streamed operand is free. */
  private long gemm(int m, int k, int n, long ready) {
    int perArray = FlashAttention.ceilDivInt(n, arrays.length);
    long release = 0;
    for (int a = 0; a < arrays.length; a++) {
      int mine = Math.min(perArray, n - a * perArray);
      for (int c0 = 0; c0 < mine; c0 += arrayCols) {
        int nFold = Math.min(arrayCols, mine - c0);
        for (int k0 = 0; k0 < k; k0 += arrayRows) {
          arrays[a].issue(m, Math.min(arrayRows, k - k0), nFold, ready);
        }
      }
      if (mine > 0) {
        release = Math.max(release, arrays[a].streamEnd());
      }
    }
    return release;
  }

  private long end() {
    long end = 0;
    for (WsFoldPipeline p : arrays) {
      end = Math.max(end, p.end());
    }
    return end;
  }

  long usefulMacs() {
    long macs = 0;
    for (WsFoldPipeline p : arrays) {
      macs += p.usefulMacs();
    }
    return macs;
  }

  long softmaxElements() {
    return softmaxElements;
  }
}
