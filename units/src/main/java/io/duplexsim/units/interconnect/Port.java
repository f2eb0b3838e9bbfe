package io.duplexsim.units.interconnect;

import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayFIFOQueue;

/**
 * One direction of one device's link port (NVLink into the switch, or the NIC). It serialises one
 * packet at a time at the link's bandwidth, taking packets round-robin from the transfers that have
 * bytes waiting, so flows sharing a port share its bandwidth. Egress ports cut a transfer into
 * packets; ingress ports receive them whole after the link latency.
 *
 * <p>Time inside the port is exact: a packet of b bytes takes b/B seconds, kept as a whole number
 * of units (unitsPerCycle units make one link-clock cycle), so back-to-back packets never round.
 * Only a hand-over to another port is rounded up to the cycle. Every event carries its own time, so
 * a tick later than an event (a wake landing after this port already ran in that cycle) gives the
 * same result as a tick on time: fast-forward on or off, results are identical.
 *
 * <p>Buffers are unbounded: no credit back-pressure from a busy ingress to its senders (the
 * ingress still serialises at its bandwidth, so incast is limited where it should be).
 */
final class Port implements Component {
  /** Receives every packet the port has finished sending. */
  interface Sink {
    void packetDone(Port port, int transfer, long bytes, long cycle);
  }

  final int device;
  final int linkClass;
  final boolean egress;
  private final long unitsPerCycle;
  private final long unitsPerByte;
  private final long packetBytes;
  private final Sink sink;
  private final Scheduler scheduler;
  private int id = -1;

  private final ArrivalQueue arrivals = new ArrivalQueue();
  private final Int2LongOpenHashMap ready = new Int2LongOpenHashMap();
  private final IntArrayFIFOQueue roundRobin = new IntArrayFIFOQueue();
  private boolean busy;
  private int current;
  private long currentBytes;
  private long finishUnits;
  /** When the port last became free, in units. */
  private long freeUnits;
  private long busyUnits;
  private long bytesMoved;
  private long packets;

  Port(int device, int linkClass, boolean egress, long bytesPerSecond, long clockHz, long packetBytes, Sink sink,
      Scheduler scheduler) {
    this.device = device;
    this.linkClass = linkClass;
    this.egress = egress;
    long g = gcd(bytesPerSecond, clockHz);
    this.unitsPerCycle = bytesPerSecond / g;
    this.unitsPerByte = clockHz / g;
    this.packetBytes = packetBytes;
    this.sink = sink;
    this.scheduler = scheduler;
  }

  void bind(int schedulerId) {
    this.id = schedulerId;
  }

  /** {@code bytes} of {@code transfer} become available here at {@code cycle} (not before now). */
  void offer(long cycle, int transfer, long bytes) {
    arrivals.offer(cycle, transfer, bytes);
    scheduler.wake(id, cycle);
  }

  @Override
  public long tick(long cycle) {
    long nowUnits = cycle * unitsPerCycle;
    while (true) {
      if (busy) {
        if (finishUnits > nowUnits) {
          break;
        }
        busy = false;
        freeUnits = finishUnits;
        sink.packetDone(this, current, currentBytes, ceilDiv(finishUnits, unitsPerCycle));
      }
      admitThrough(freeUnits);
      if (roundRobin.isEmpty()) {
        if (arrivals.isEmpty() || arrivals.peekCycle() * unitsPerCycle > nowUnits) {
          break;
        }
        freeUnits = Math.max(freeUnits, arrivals.peekCycle() * unitsPerCycle); // idle until it arrived
        admitThrough(freeUnits);
      }
      startPacket();
    }
    if (busy) {
      return ceilDiv(finishUnits, unitsPerCycle);
    }
    return arrivals.isEmpty() ? NEVER : arrivals.peekCycle();
  }

  private void admitThrough(long units) {
    while (!arrivals.isEmpty() && arrivals.peekCycle() * unitsPerCycle <= units) {
      int t = arrivals.peekTransfer();
      if (ready.addTo(t, arrivals.peekBytes()) == 0) {
        roundRobin.enqueue(t);
      }
      arrivals.poll();
    }
  }

  private void startPacket() {
    int t = roundRobin.dequeueInt();
    long waiting = ready.get(t);
    long b = Math.min(packetBytes, waiting);
    if (waiting > b) {
      ready.put(t, waiting - b);
      roundRobin.enqueue(t); // to the back: the next packet goes to another transfer if one waits
    } else {
      ready.remove(t);
    }
    busy = true;
    current = t;
    currentBytes = b;
    long units = b * unitsPerByte;
    finishUnits = freeUnits + units;
    busyUnits += units;
    bytesMoved += b;
    packets++;
  }

  /** Cycles spent serialising (fractional: exact units over units per cycle). */
  double busyCycles() {
    return (double) busyUnits / unitsPerCycle;
  }

  long bytesMoved() {
    return bytesMoved;
  }

  long packets() {
    return packets;
  }

  boolean idle() {
    return !busy && arrivals.isEmpty() && roundRobin.isEmpty();
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long r = a % b;
      a = b;
      b = r;
    }
    return a;
  }

  @Override
  public String toString() {
    return (egress ? "tx" : "rx") + " of device " + device;
  }
}
