package io.duplexsim.units.xpu;

import io.duplexsim.memory.MemoryClient;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.mapping.AddressMapping;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayFIFOQueue;

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
  private final LongArrayFIFOQueue[] addresses;
  private final LongArrayFIFOQueue[] tags;
  private final LongArrayFIFOQueue[] notBefore;
  private final IntArrayList active = new IntArrayList();
  private final boolean[] isActive;
  private final int[] decoded = new int[6];
  private int id = -1;
  private long readSectors;
  private long writeSectors;
  private long writesOutstanding;
  private long lastCompletion;

  HbmPort(MemorySystem memory, Scheduler scheduler, ReadSink reads, Runnable writesDrained) {
    this.memory = memory;
    this.scheduler = scheduler;
    this.reads = reads;
    this.writesDrained = writesDrained;
    int pcs = memory.pseudoChannels();
    addresses = new LongArrayFIFOQueue[pcs];
    tags = new LongArrayFIFOQueue[pcs];
    notBefore = new LongArrayFIFOQueue[pcs];
    isActive = new boolean[pcs];
    for (int pc = 0; pc < pcs; pc++) {
      addresses[pc] = new LongArrayFIFOQueue();
      tags[pc] = new LongArrayFIFOQueue();
      notBefore[pc] = new LongArrayFIFOQueue();
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
    addresses[pc].enqueue(address);
    tags[pc].enqueue(tag);
    notBefore[pc].enqueue(memoryCycle);
    if (!isActive[pc]) {
      isActive[pc] = true;
      active.add(pc);
    }
    scheduler.wake(id, memoryCycle);
  }

  @Override
  public long tick(long now) {
    long next = NEVER;
    for (int i = 0; i < active.size(); ) {
      int pc = active.getInt(i);
      LongArrayFIFOQueue q = addresses[pc];
      while (!q.isEmpty()) {
        long due = notBefore[pc].firstLong();
        if (due > now) {
          next = Math.min(next, due);
          break;
        }
        long tag = tags[pc].firstLong();
        RequestType type = (tag & 1) == 0 ? RequestType.READ : RequestType.WRITE;
        if (!memory.submit(q.firstLong(), type, tag, this, now, id)) {
          break; // the controller wakes us when a slot frees
        }
        q.dequeueLong();
        tags[pc].dequeueLong();
        notBefore[pc].dequeueLong();
      }
      if (q.isEmpty()) {
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
}
