package io.duplexsim.units.xpu;

import io.duplexsim.memory.MemoryClient;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.mapping.AddressMapping;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;
import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * The xPU's side of the HBM controllers: one miss queue per pseudo-channel (as GPU L2 slices are per
 * memory partition), drained into the controller of that pseudo-channel as fast as its request queue
 * accepts, so a full channel does not hold up requests for the others. Runs on the HBM command clock.
 * Requests carry the cycle before which they may not reach the controller (the trip from the L2).
 */
final class HbmPort implements Component, MemoryClient {
  /** Receives read completions (the L2's misses). */
  interface ReadSink {
    void sectorArrived(int missId, long memoryCycle);
  }

  private final MemorySystem memory;
  private final Scheduler scheduler;
  private final ReadSink reads;
  private final Runnable writesDrained;
  /** Per pseudo-channel: its waiting requests in order (decoded target packed by {@link #pack}, tag, due cycle). */
  private final RequestRing[] queues;
  /**
   * Per pseudo-channel: the due cycle and tag of its first waiting request, side by side in one array,
   * so that a tick passing over channels that are full or not yet due touches no queue.
   */
  private final long[] heads;
  private final IntArrayList active = new IntArrayList();
  private final boolean[] isActive;
  private final int[] decoded = new int[6];
  private int id = -1;
  private long readSectors;
  private long writeSectors;
  private long writesOutstanding;
  private long lastCompletion;
  /**
   * The earliest cycle asked of the scheduler since the port's last tick: a later request's wake
   * would not move that tick (earlier requests win), so it is not asked again.
   */
  private long wakeAsked = Long.MAX_VALUE;

  HbmPort(MemorySystem memory, Scheduler scheduler, ReadSink reads, Runnable writesDrained) {
    this.memory = memory;
    this.scheduler = scheduler;
    this.reads = reads;
    this.writesDrained = writesDrained;
    int pcs = memory.pseudoChannels();
    Organization org = memory.standard().org();
    if (org.columns() > 1 << 16 || org.ranks() > 1 << 4 || org.bankGroups() > 1 << 4 || org.banks() > 1 << 8) {
      throw new IllegalArgumentException("organisation too large for the xPU port's packed targets: " + org);
    }
    queues = new RequestRing[pcs];
    heads = new long[2 * pcs];
    isActive = new boolean[pcs];
    for (int pc = 0; pc < pcs; pc++) {
      queues[pc] = new RequestRing();
    }
  }

  void attach(int componentId) {
    this.id = componentId;
  }

  /** Queues a read for miss {@code missId}, due at the controller no earlier than {@code memoryCycle}. */
  void read(long address, int missId, long memoryCycle) {
    readSectors++;
    enqueue(address, (long) missId << 1, memoryCycle);
  }

  /** Queues a posted write. */
  void write(long address, long memoryCycle) {
    writeSectors++;
    writesOutstanding++;
    enqueue(address, 1L, memoryCycle);
  }

  private void enqueue(long address, long tag, long memoryCycle) {
    memory.mapping().decode(address, RequestType.READ, decoded);
    int pc = decoded[AddressMapping.PCH];
    if (queues[pc].isEmpty()) {
      heads[2 * pc] = memoryCycle;
      heads[2 * pc + 1] = tag;
    }
    queues[pc].add(pack(decoded), tag, memoryCycle);
    if (!isActive[pc]) {
      isActive[pc] = true;
      active.add(pc);
    }
    if (memoryCycle < wakeAsked) {
      wakeAsked = memoryCycle;
      scheduler.wake(id, memoryCycle);
    }
  }

  /** Rank, bank group, bank, row and column of a decoded address in one long (the port decodes each address once). */
  private static long pack(int[] d) {
    return (long) d[AddressMapping.ROW] << 32 | (long) d[AddressMapping.COLUMN] << 16 | d[AddressMapping.RANK] << 12
        | d[AddressMapping.BANK_GROUP] << 8 | d[AddressMapping.BANK];
  }

  @Override
  public long tick(long now) {
    wakeAsked = Long.MAX_VALUE;
    long next = NEVER;
    for (int i = 0; i < active.size(); ) {
      int pc = active.getInt(i);
      boolean drained = false; // active channels have requests waiting
      while (true) {
        long due = heads[2 * pc];
        if (due > now) {
          next = Math.min(next, due);
          break;
        }
        long tag = heads[2 * pc + 1];
        RequestType type = (tag & 1) == 0 ? RequestType.READ : RequestType.WRITE;
        if (memory.controller(pc).fullAndWaited(type, id)) {
          break; // still full since our last try; the controller wakes us when a slot frees
        }
        RequestRing q = queues[pc];
        long t = q.firstTarget();
        if (!memory.submit(pc, (int) (t >>> 12) & 0xf, (int) (t >>> 8) & 0xf, (int) t & 0xff, (int) (t >>> 32),
            (int) (t >>> 16) & 0xffff, type, tag, this, now, id)) {
          break; // the controller wakes us when a slot frees
        }
        q.remove();
        if (q.isEmpty()) {
          drained = true;
          break;
        }
        heads[2 * pc] = q.firstDue();
        heads[2 * pc + 1] = q.firstTag();
      }
      if (drained) {
        isActive[pc] = false;
        active.set(i, active.getInt(active.size() - 1));
        active.removeInt(active.size() - 1);
      } else {
        i++;
      }
    }
    return next;
  }

  @Override
  public void onComplete(long tag, long completionCycle) {
    lastCompletion = Math.max(lastCompletion, completionCycle);
    if ((tag & 1) == 0) {
      reads.sectorArrived((int) (tag >>> 1), completionCycle);
    } else if (--writesOutstanding == 0) {
      writesDrained.run();
    }
  }

  long writesOutstanding() {
    return writesOutstanding;
  }

  long readSectors() {
    return readSectors;
  }

  long writeSectors() {
    return writeSectors;
  }

  /** HBM cycle of the last completed request. */
  long lastCompletion() {
    return lastCompletion;
  }

  /**
   * A FIFO of (target, tag, due cycle) triples in one array that only grows: a pseudo-channel's queue
   * fills and drains millions of times in a run, and a queue that shrinks when it empties reallocates
   * each time.
   */
  private static final class RequestRing {
    private long[] slots = new long[3 * 64];
    private int head;
    private int size;

    boolean isEmpty() {
      return size == 0;
    }

    void add(long target, long tag, long due) {
      int capacity = slots.length / 3;
      if (size == capacity) {
        long[] grown = new long[slots.length * 2];
        int first = capacity - head;
        System.arraycopy(slots, 3 * head, grown, 0, 3 * first);
        System.arraycopy(slots, 0, grown, 3 * first, 3 * head);
        slots = grown;
        head = 0;
        capacity *= 2;
      }
      int at = head + size;
      if (at >= capacity) {
        at -= capacity;
      }
      slots[3 * at] = target;
      slots[3 * at + 1] = tag;
      slots[3 * at + 2] = due;
      size++;
    }

    long firstTarget() {
      return slots[3 * head];
    }

    long firstTag() {
      return slots[3 * head + 1];
    }

    long firstDue() {
      return slots[3 * head + 2];
    }

    void remove() {
      size--;
      head++;
      if (head == slots.length / 3) {
        head = 0;
      }
    }
  }
}
