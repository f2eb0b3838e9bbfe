package io.duplexsim.memory.frontend;

import io.duplexsim.memory.DepartureListener;
import io.duplexsim.memory.MemoryClient;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.controller.PseudoChannelController;
import io.duplexsim.memory.mapping.AddressMapping;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;

/**
 * One lane's copy of the {@link TraceInjector} in a parallel memory simulation: every lane walks the
 * whole trace in order, as the one injector would, but submits only the requests of its own
 * pseudo-channels. A request of another lane's it takes as that lane's injector does, counting the
 * queue it joins; whether that queue has room on cycle {@code c} follows from the requests counted
 * into it and the departures the other lane has logged up to {@code c - 1}, so the copy waits until
 * that lane has simulated {@code c - 1}. A full queue blocks the trace behind it in every lane, as
 * it does the one injector, until the cycle after a request leaves it. So every lane injects
 * exactly what the one injector would, on the same cycles, and each lane runs its controllers on its
 * own thread, meeting the others only where the trace's order makes it wait for them.
 *
 * <p>A copy ticks at least every {@link #PUBLISH_EVERY} cycles while its lane has work left, to tell
 * the others how far its lane has simulated. Once its lane's last request's access has issued, it
 * stops its scheduler, as the one injector does, and says on which cycle.
 */
public final class LaneInjector implements Component, MemoryClient, DepartureListener {
  /**
   * Cycles between a busy lane's reports of its progress: a lane waiting for it waits up to this many
   * cycles of its simulation longer, and each report costs a cache-line transfer to the waiting core.
   * 2 waited less than 4 on random traffic; 1 gained nothing over 2 (BENCHMARKS.md).
   */
  static final int PUBLISH_EVERY = 2;

  private final RequestTrace trace;
  private final int lane;
  private final LaneExchange exchange;
  private final LaneExchange.Lane own;
  private final Scheduler scheduler;
  private final ClockDomain clock;
  // Bound with the memory system, which registers after this copy.
  private MemorySystem memory;
  private AddressMapping mapping;
  /** Per request: its pseudo-channel (decoded once for every lane). */
  private int[] pseudoChannelOf;
  private int[] laneOf;
  private final int[] capacity = new int[4];
  /** Requests in other lanes' queues as this copy counts them: [pseudoChannel * 4 + queue]. */
  private int[] remoteOccupancy;
  /** Per lane: the next of its departures to take off {@link #remoteOccupancy}. */
  private final int[] cursor;
  private final int[] decoded = new int[6];
  private long localTotal;
  private long localSubmitted;
  private long localCompleted;
  private int id = -1;
  private int next;

  LaneInjector(RequestTrace trace, int lane, LaneExchange exchange, Scheduler scheduler, ClockDomain clock) {
    this.trace = trace;
    this.lane = lane;
    this.exchange = exchange;
    this.own = exchange.lanes[lane];
    this.scheduler = scheduler;
    this.clock = clock;
    this.cursor = new int[exchange.lanes.length];
  }

  /** Connects the memory system, each request's pseudo-channel and how many requests are this lane's. */
  void bind(MemorySystem memory, int[] pseudoChannelOf, long localTotal) {
    this.memory = memory;
    this.mapping = memory.mapping();
    this.pseudoChannelOf = pseudoChannelOf;
    this.localTotal = localTotal;
    int n = memory.pseudoChannels();
    this.laneOf = new int[n];
    for (int pc = 0; pc < n; pc++) {
      laneOf[pc] = memory.laneOf(pc);
    }
    for (int q = 0; q < 4; q++) {
      capacity[q] = memory.controller(0).queueCapacity(q);
    }
    this.remoteOccupancy = new int[4 * n];
    if (localTotal == 0) {
      finish(-1);
    }
  }

  void attach(int componentId) {
    this.id = componentId;
  }

  @Override
  public long tick(long cycle) {
    if (finished()) {
      return NEVER;
    }
    own.publish(cycle - 1); // this lane's controllers have run every cycle before this one
    int n = trace.size();
    while (next < n) {
      long at = trace.issueCycle(next);
      if (at > cycle) {
        return Math.min(at, cycle + PUBLISH_EVERY);
      }
      int pc = pseudoChannelOf[next];
      RequestType type = trace.type(next);
      int other = laneOf[pc];
      if (other == lane) {
        mapping.decode(trace.address(next), type, decoded);
        if (!memory.submit(pc, decoded[AddressMapping.RANK], decoded[AddressMapping.BANK_GROUP],
            decoded[AddressMapping.BANK], decoded[AddressMapping.ROW], decoded[AddressMapping.COLUMN], type, next, this,
            cycle, id)) {
          return cycle + PUBLISH_EVERY; // the controller wakes this copy the cycle after a slot frees
        }
        localSubmitted++;
      } else {
        int key = pc * 4 + PseudoChannelController.queueIndex(type);
        if (!remoteRoom(other, key, cycle)) {
          return blockedUntil(other, key, cycle);
        }
        remoteOccupancy[key]++;
      }
      next++;
    }
    return cycle + PUBLISH_EVERY; // its lane still has accesses to issue, which the others may wait for
  }

  /**
   * Has queue {@code key} of lane {@code other} room on {@code cycle}? The count only falls as that lane's
   * departures come in, so a queue with room by the count has room whatever that lane has simulated; only
   * a queue full by the count needs that lane's departures up to {@code cycle - 1}: first those already
   * published, then, if it is still full, all of them, waiting for that lane if need be.
   */
  private boolean remoteRoom(int other, int key, long cycle) {
    int full = capacity[key & 3];
    if (remoteOccupancy[key] < full) {
      return true;
    }
    takeDepartures(other, cycle - 1, false);
    if (remoteOccupancy[key] < full) {
      return true;
    }
    takeDepartures(other, cycle - 1, true);
    return remoteOccupancy[key] < full;
  }

  /**
   * Counts lane {@code other}'s departures up to cycle {@code through}: those it has published, or, with
   * {@code wait}, every one, waiting until that lane has simulated {@code through}.
   */
  private void takeDepartures(int other, long through, boolean wait) {
    if (wait) {
      exchange.awaitProgress(other, through);
    }
    LaneExchange.Lane l = exchange.lanes[other];
    int published = l.published;
    int k = cursor[other];
    while (k < published) {
      long e = l.entry(k);
      if (LaneExchange.cycleOf(e) > through) {
        break;
      }
      remoteOccupancy[LaneExchange.queueKeyOf(e)]--;
      k++;
    }
    cursor[other] = k;
  }

  /**
   * The trace waits for a full queue of lane {@code other} (its departures are counted up to
   * {@code cycle - 1}): the cycle after its next departure if that lane has simulated it already, else
   * the cycle after that lane's progress (nothing can enter before), or the next one.
   */
  private long blockedUntil(int other, int key, long cycle) {
    LaneExchange.Lane l = exchange.lanes[other];
    long progress = l.progress;
    int published = l.published;
    for (int k = cursor[other]; k < published; k++) {
      long e = l.entry(k);
      long at = LaneExchange.cycleOf(e);
      if (at > progress) {
        break;
      }
      if (LaneExchange.queueKeyOf(e) == key) {
        return Math.min(at + 1, cycle + PUBLISH_EVERY);
      }
    }
    if (progress == LaneExchange.FINISHED) {
      throw new IllegalStateException("lane " + other + " finished with a request of pseudo-channel " + (key >> 2)
          + " still waiting to enter its full queue");
    }
    return Math.max(cycle + 1, Math.min(progress + 1, cycle + PUBLISH_EVERY));
  }

  @Override
  public void onDeparture(long cycle, int pseudoChannel, int queue) {
    own.log(cycle, pseudoChannel, queue);
  }

  @Override
  public void onComplete(long tag, long completionCycle) {
    if (++localCompleted == localTotal) {
      finish(scheduler.cycleOf(clock));
      scheduler.stop();
    }
  }

  /** Every access of this lane has issued, the last on {@code cycle}: its departure log is complete. */
  private void finish(long cycle) {
    own.published = own.logged;
    own.endCycle = cycle;
    own.progress = LaneExchange.FINISHED;
  }

  boolean finished() {
    return own.endCycle != LaneExchange.NOT_DONE;
  }

  long localCompleted() {
    return localCompleted;
  }

  long localOutstanding() {
    return localSubmitted - localCompleted;
  }

  int injected() {
    return next;
  }
}
