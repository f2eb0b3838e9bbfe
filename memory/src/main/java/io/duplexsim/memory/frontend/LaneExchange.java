package io.duplexsim.memory.frontend;

/**
 * What the lanes of a parallel memory simulation tell each other ({@link LaneInjector}): per lane,
 * the last cycle it has simulated, the requests that left its queues (cycle, pseudo-channel, queue)
 * up to then, and, once its last request's access has issued, that cycle. Each lane writes only its
 * own part; the others read it after its progress, a volatile write that publishes what came before.
 */
final class LaneExchange {
  static final int CHUNK = 1 << 16;
  /** A lane's progress once its last access has issued: every departure it will ever log is logged. */
  static final long FINISHED = Long.MAX_VALUE;
  static final long NOT_DONE = Long.MIN_VALUE;

  /** One lane's part, padded so that lanes' counters do not share a cache line. */
  static final class Lane {
    long pad0;
    long pad1;
    long pad2;
    long pad3;
    long pad4;
    long pad5;
    long pad6;
    /** Every cycle up to this one is simulated and its departures are logged (-1: none yet). */
    volatile long progress = -1;
    /** Departures logged and readable; written before {@link #progress}. */
    volatile int published;
    /** The cycle of the lane's last access ({@link #NOT_DONE} until then; -1 for a lane without requests). */
    volatile long endCycle = NOT_DONE;
    /** Departures, {@code cycle << 20 | pseudoChannel << 2 | queue}, in chunks of {@link #CHUNK}. */
    final long[][] chunks;
    int logged;
    long pad7;
    long pad8;
    long pad9;
    long pad10;
    long pad11;
    long pad12;
    long pad13;

    Lane(long maxDepartures) {
      chunks = new long[(int) (maxDepartures / CHUNK) + 1][];
    }

    void log(long cycle, int pseudoChannel, int queue) {
      int c = logged / CHUNK;
      if (chunks[c] == null) {
        chunks[c] = new long[CHUNK];
      }
      chunks[c][logged % CHUNK] = cycle << 20 | (long) pseudoChannel << 2 | queue;
      logged++;
    }

    long entry(int index) {
      return chunks[index / CHUNK][index % CHUNK];
    }

    /** Makes the departures so far readable and says every cycle up to {@code cycle} is simulated. */
    void publish(long cycle) {
      if (cycle > progress) {
        published = logged;
        progress = cycle;
      }
    }
  }

  final Lane[] lanes;
  /** Set when a lane failed: the others stop waiting for it. */
  volatile boolean failed;

  LaneExchange(int lanes, long maxDeparturesPerLane) {
    this.lanes = new Lane[lanes];
    for (int k = 0; k < lanes; k++) {
      this.lanes[k] = new Lane(maxDeparturesPerLane);
    }
  }

  static long cycleOf(long entry) {
    return entry >>> 20;
  }

  /** The entry's pseudo-channel and queue as {@code pseudoChannel * 4 + queue}. */
  static int queueKeyOf(long entry) {
    return (int) (entry & ((1 << 20) - 1));
  }

  /**
   * Spins (then yields) until {@code lane} has simulated {@code cycle}; fails if a lane failed. The
   * waiting lane has published its own progress first, so two lanes never wait for each other: the
   * one further behind has what it waits for.
   */
  long awaitProgress(int lane, long cycle) {
    Lane l = lanes[lane];
    long p = l.progress;
    if (p >= cycle) {
      return p;
    }
    long start = System.nanoTime();
    int spins = 0;
    while ((p = l.progress) < cycle) {
      if (failed) {
        throw new LaneAborted();
      }
      if (++spins < 512 || System.nanoTime() - start < 2_000) {
        Thread.onSpinWait();
      } else {
        // The other lane lost its core, or is far behind: let it run, and the JIT, whose compilations
        // a first run needs the second core for (spinning 50 us before yielding made fresh runs slower).
        Thread.yield();
      }
    }
    return p;
  }

  /** Thrown in a lane that stopped because another lane failed; the other lane's failure is the one to report. */
  static final class LaneAborted extends RuntimeException {
    LaneAborted() {
      super("another lane failed", null, false, false);
    }
  }
}
