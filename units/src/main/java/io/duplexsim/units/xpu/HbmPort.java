package io.duplexsim.units.xpu;

import io.duplexsim.memory.MemoryClient;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.mapping.AddressMapping;
import io.duplexsim.memory.standard.Organization;
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
  /** Per pseudo-channel: each request's decoded target, packed by {@link #pack}. */
  private final LongArrayFIFOQueue[] targets;
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
    Organization org = memory.standard().org();
    if (org.columns() > 1 << 16 || org.ranks() > 1 << 4 || org.bankGroups() > 1 << 4 || org.banks() > 1 << 8) {
      throw new IllegalArgumentException("organisation too large for the xPU port's packed targets: " + org);
    }
    targets = new LongArrayFIFOQueue[pcs];
    tags = new LongArrayFIFOQueue[pcs];
    notBefore = new LongArrayFIFOQueue[pcs];
    isActive = new boolean[pcs];
    for (int pc = 0; pc < pcs; pc++) {
      targets[pc] = new LongArrayFIFOQueue();
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
    targets[pc].enqueue(pack(decoded));
    tags[pc].enqueue(tag);
    notBefore[pc].enqueue(memoryCycle);
    if (!isActive[pc]) {
      isActive[pc] = true;
      active.add(pc);
    }
    scheduler.wake(id, memoryCycle);
  }

  /** Rank, bank group, bank, row and column of a decoded address in one long (the port decodes each address once). */
  private static long pack(int[] d) {
    return (long) d[AddressMapping.ROW] << 32 | (long) d[AddressMapping.COLUMN] << 16 | d[AddressMapping.RANK] << 12
        | d[AddressMapping.BANK_GROUP] << 8 | d[AddressMapping.BANK];
  }

  @Override
  public long tick(long now) {
    long next = NEVER;
    for (int i = 0; i < active.size(); ) {
      int pc = active.getInt(i);
      LongArrayFIFOQueue q = targets[pc];
      while (!q.isEmpty()) {
        long due = notBefore[pc].firstLong();
        if (due > now) {
          next = Math.min(next, due);
          break;
        }
        long tag = tags[pc].firstLong();
        RequestType type = (tag & 1) == 0 ? RequestType.READ : RequestType.WRITE;
        if (memory.controller(pc).fullAndWaited(type, id)) {
          break; // still full since our last try; the controller wakes us when a slot frees
        }
        long t = q.firstLong();
        if (!memory.submit(pc, (int) (t >>> 12) & 0xf, (int) (t >>> 8) & 0xf, (int) t & 0xff, (int) (t >>> 32),
            (int) (t >>> 16) & 0xffff, type, tag, this, now, id)) {
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
