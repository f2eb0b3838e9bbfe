package io.duplexsim.units.xpu;

import io.duplexsim.sim.Component;
import io.duplexsim.units.systolic.WsFoldPipeline;
import it.unimi.dsi.fastutil.ints.IntArrayFIFOQueue;
import it.unimi.dsi.fastutil.longs.LongArrayFIFOQueue;

/**
 * One SM running GEMM tiles: it takes the next tile from the device's queue when it has room (the
 * persistent-kernel schedule that makes the last wave's idle SMs visible), loads each K step's X and W
 * chunks from L2 into one of its SMEM stages up to {@code smemStages} steps ahead, and feeds every
 * arrived step to its arrays as weight-stationary folds (each array takes an equal share of the
 * tile's columns). A stage frees when the arrays have streamed its last X row; a finished output tile
 * is written back.
 */
final class StreamingMultiprocessor implements Component {
  private final int index;
  private final XpuGemm.Run run;
  private final WsFoldPipeline[] arrays;
  private final int stages;
  private final int arrayCols;
  private final int[] slotProblem;
  private final int[] slotTile;
  private final int[] slotKStep;
  private final int[] slotPending;
  private final long[] slotReady;
  private final long[] slotRelease;
  private final LongArrayFIFOQueue writeAt = new LongArrayFIFOQueue();
  private final IntArrayFIFOQueue writeTile = new IntArrayFIFOQueue();
  private long loadSeq;
  private long computeSeq;
  private int loadProblem;
  private int loadTile = -1;
  private int loadKStep;
  private int loadKEnd;
  private boolean noMoreTiles;
  private boolean finished;
  private long lastTileEnd;
  private int id;

  StreamingMultiprocessor(int index, XpuGemm.Run run, int arrayCols) {
    this.index = index;
    this.run = run;
    XpuConfig x = run.config();
    this.stages = x.smemStages();
    this.arrayCols = arrayCols;
    this.arrays = new WsFoldPipeline[x.arraysPerSm()];
    for (int a = 0; a < arrays.length; a++) {
      arrays[a] = new WsFoldPipeline(x.arrayRows(), arrayCols);
    }
    slotProblem = new int[stages];
    slotTile = new int[stages];
    slotKStep = new int[stages];
    slotPending = new int[stages];
    slotReady = new long[stages];
    slotRelease = new long[stages];
  }

  void attach(int componentId) {
    this.id = componentId;
  }

  int componentId() {
    return id;
  }

  /** One of the two chunks of stage {@code slot} arrives at {@code cycle}. */
  void deliver(int slot, long cycle) {
    slotReady[slot] = Math.max(slotReady[slot], cycle);
    if (--slotPending[slot] == 0) {
      run.wakeSm(id, slotReady[slot]);
    }
  }

  @Override
  public long tick(long now) {
    while (!writeAt.isEmpty() && writeAt.firstLong() <= now) {
      writeAt.dequeueLong();
      int problem = writeTile.dequeueInt();
      run.tileDone(index, problem, writeTile.dequeueInt(), now);
    }
    // Compute in order: a step's folds go to the arrays once both its chunks are in SMEM.
    while (computeSeq < loadSeq) {
      int slot = (int) (computeSeq % stages);
      if (slotPending[slot] > 0 || slotReady[slot] > now) {
        break;
      }
      issueFolds(slot);
      computeSeq++;
    }
    // Load ahead into free stages.
    while (!noMoreTiles && loadSeq - computeSeq < stages && slotRelease[(int) (loadSeq % stages)] <= now) {
      if (loadTile < 0 || loadKStep == loadKEnd) {
        int item = run.takeTile();
        if (item < 0) {
          noMoreTiles = true;
          break;
        }
        GroupedTiling work = run.work();
        loadProblem = work.problem(item);
        loadTile = work.localTile(loadProblem, item);
        loadKStep = work.kStepBegin(loadProblem, loadTile);
        loadKEnd = work.kStepEnd(loadProblem, loadTile);
      }
      int slot = (int) (loadSeq % stages);
      slotProblem[slot] = loadProblem;
      slotTile[slot] = loadTile;
      slotKStep[slot] = loadKStep;
      slotPending[slot] = 2;
      slotReady[slot] = now;
      loadSeq++;
      loadKStep++;
      run.loadChunks(index, slot, loadProblem, slotTile[slot], slotKStep[slot], now); // may deliver at once
    }
    if (noMoreTiles && computeSeq == loadSeq && writeAt.isEmpty() && !finished) {
      finished = true;
      run.smFinished(lastTileEnd);
    }
    long next = NEVER;
    if (!writeAt.isEmpty()) {
      next = writeAt.firstLong();
    }
    if (computeSeq < loadSeq) {
      int slot = (int) (computeSeq % stages);
      if (slotPending[slot] == 0 && slotReady[slot] > now) {
        next = Math.min(next, slotReady[slot]);
      }
    }
    if (!noMoreTiles && loadSeq - computeSeq < stages) {
      long release = slotRelease[(int) (loadSeq % stages)];
      if (release > now) {
        next = Math.min(next, release);
      }
    }
    return next;
  }

  private void issueFolds(int slot) {
    int problem = slotProblem[slot];
    GemmTiling t = run.work().tiling(problem);
    int tile = slotTile[slot];
    int kStep = slotKStep[slot];
    int rows = t.rows(t.mTile(tile));
    int cols = t.cols(t.nTile(tile));
    int depth = t.depth(kStep);
    int perArray = t.tileN() / arrays.length;
    int r = run.config().arrayRows();
    long ready = slotReady[slot];
    long release = 0;
    for (int a = 0; a < arrays.length; a++) {
      int mine = Math.min(perArray, cols - a * perArray);
      for (int c0 = 0; c0 < mine; c0 += arrayCols) {
        int nFold = Math.min(arrayCols, mine - c0);
        for (int k0 = 0; k0 < depth; k0 += r) {
          arrays[a].issue(rows, Math.min(r, depth - k0), nFold, ready);
        }
      }
      if (mine > 0) {
        release = Math.max(release, arrays[a].streamEnd());
      }
    }
    slotRelease[slot] = release;
    if (kStep == run.work().kStepEnd(problem, tile) - 1) {
      long end = 0;
      for (WsFoldPipeline p : arrays) {
        end = Math.max(end, p.end());
      }
      lastTileEnd = Math.max(lastTileEnd, end);
      writeAt.enqueue(end);
      writeTile.enqueue(problem); // two entries per tile: problem, then tile
      writeTile.enqueue(tile);
    }
  }

  long usefulMacs() {
    long macs = 0;
    for (WsFoldPipeline p : arrays) {
      macs += p.usefulMacs();
    }
    return macs;
  }
}
