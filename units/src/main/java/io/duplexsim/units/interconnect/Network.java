package io.duplexsim.units.interconnect;

import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.sim.energy.EnergyLedger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices of a {@link Fabric} and their link ports, run on the clocked scheduler. Each device
 * has a send (tx) and a receive (rx) port per link class: a packet leaves the sender's tx port at
 * the link's bandwidth, crosses the switch in the link's latency, and is received through the
 * receiver's rx port at the link's bandwidth. The switches themselves are non-blocking, so all
 * contention is at the ports: two flows out of one device, or into one device, share its bandwidth.
 * Devices in the same node talk over the intra-node link, others over the inter-node link.
 *
 * <p>One network runs one schedule: build a new one per run.
 */
public final class Network implements Port.Sink {
  static final int INTRA = 0;
  static final int INTER = 1;

  private final Fabric fabric;
  private final NetworkOptions options;
  private final LinkSpec[] links;
  private final long[] latencyCycles = new long[2];
  private final double[] pjPerByte = new double[2];
  private final int[] energyCategory = new int[2];
  private final EnergyLedger energy = new EnergyLedger();
  private final long[] linkBytes = new long[2];
  private long[][] collectiveLinkBytes;
  private double[][] collectiveEnergyPj;
  private final Scheduler scheduler;
  private final ClockDomain clock;
  /** Index device * 4 + linkClass * 2 + (tx ? 0 : 1). */
  private final Port[] ports;

  private TransferSchedule schedule;
  private int[] waitingFor;
  private int[][] dependents;
  private long[] received;
  private long[] doneCycle;
  private int done;
  private boolean used;

  public Network(Fabric fabric, NetworkOptions options) {
    this.fabric = fabric;
    this.options = options;
    this.links = new LinkSpec[] {fabric.intraNode(), fabric.interNode()};
    this.clock = new ClockDomain("link", options.clockHz());
    TimeBase tb = TimeBase.of(List.of(clock));
    this.scheduler = new Scheduler(tb, options.fastForward());
    for (int c = 0; c < 2; c++) {
      latencyCycles[c] = Math.round(links[c].latencyNs() * options.clockHz() / 1e9);
      pjPerByte[c] = links[c].pjPerBit() * 8;
      energyCategory[c] = energy.category("link." + links[c].name());
    }
    int n = fabric.devices();
    ports = new Port[n * 4];
    for (int d = 0; d < n; d++) {
      for (int c = 0; c < 2; c++) {
        for (int rx = 0; rx < 2; rx++) {
          Port p = new Port(d, c, rx == 0, links[c].bytesPerSecond(), options.clockHz(), options.packetBytes(), this,
              scheduler);
          ports[d * 4 + c * 2 + rx] = p;
          p.bind(scheduler.register(p, clock));
        }
      }
    }
  }

  /** Simulates {@code s} from cycle 0 until every transfer has been received. */
  public NetworkRun run(TransferSchedule s) {
    if (used) {
      throw new IllegalStateException("a Network runs one schedule; build a new one");
    }
    used = true;
    if (s.maxDevice() >= fabric.devices()) {
      throw new IllegalArgumentException("schedule names device " + s.maxDevice() + " but the fabric has "
          + fabric.devices());
    }
    schedule = s;
    collectiveLinkBytes = new long[s.collectives()][2];
    collectiveEnergyPj = new double[s.collectives()][2];
    int n = s.size();
    waitingFor = new int[n];
    received = new long[n];
    doneCycle = new long[n];
    int[] fanOut = new int[n];
    for (int t = 0; t < n; t++) {
      waitingFor[t] = s.deps(t).length;
      for (int d : s.deps(t)) {
        fanOut[d]++;
      }
    }
    dependents = new int[n][];
    for (int t = 0; t < n; t++) {
      dependents[t] = new int[fanOut[t]];
      fanOut[t] = 0;
    }
    for (int t = 0; t < n; t++) {
      for (int d : s.deps(t)) {
        dependents[d][fanOut[d]++] = t;
      }
    }
    int[] roots = java.util.stream.IntStream.range(0, n).filter(t -> waitingFor[t] == 0).toArray();
    for (int t : roots) { // collected first: starting one may complete others and free their dependents
      start(t, 0);
    }
    scheduler.run();
    if (done != n) {
      throw new IllegalStateException(done + " of " + n + " transfers completed");
    }
    return result();
  }

  private int linkClass(int from, int to) {
    return fabric.sameNode(from, to) ? INTRA : INTER;
  }

  private Port port(int device, int linkClass, boolean tx) {
    return ports[device * 4 + linkClass * 2 + (tx ? 0 : 1)];
  }

  /** Nanoseconds of {@code cycles} of the link clock. */
  public double nsOf(long cycles) {
    return clock.nsOf(cycles);
  }

  private void start(int t, long cycle) {
    long bytes = schedule.bytes(t);
    if (bytes == 0) {
      complete(t, cycle); // nothing to move: a zero-size shard is ready as soon as its inputs are
      return;
    }
    port(schedule.src(t), linkClass(schedule.src(t), schedule.dst(t)), true).offer(cycle, t, bytes);
  }

  @Override
  public void packetDone(Port port, int t, long bytes, long cycle) {
    int c = port.linkClass;
    if (port.egress) {
      double pj = bytes * pjPerByte[c];
      int k = schedule.collectiveOf(t);
      linkBytes[c] += bytes;
      energy.add(energyCategory[c], pj);
      collectiveLinkBytes[k][c] += bytes;
      collectiveEnergyPj[k][c] += pj;
      port(schedule.dst(t), c, false).offer(cycle + latencyCycles[c], t, bytes);
      return;
    }
    received[t] += bytes;
    if (received[t] == schedule.bytes(t)) {
      complete(t, cycle);
    }
  }

  private void complete(int t, long cycle) {
    doneCycle[t] = cycle;
    done++;
    for (int d : dependents[t]) {
      if (--waitingFor[d] == 0) {
        start(d, cycle);
      }
    }
  }

  private NetworkRun result() {
    long end = 0;
    long[] collectiveDone = new long[schedule.collectives()];
    long[] sent = new long[fabric.devices()];
    for (int t = 0; t < schedule.size(); t++) {
      end = Math.max(end, doneCycle[t]);
      int k = schedule.collectiveOf(t);
      collectiveDone[k] = Math.max(collectiveDone[k], doneCycle[t]);
      sent[schedule.src(t)] += schedule.bytes(t);
    }
    Map<String, Long> bytesByLink = new LinkedHashMap<>();
    for (int c = 0; c < 2; c++) {
      bytesByLink.merge(links[c].name(), linkBytes[c], Long::sum);
    }
    Port busiest = null;
    long packets = 0;
    for (Port p : ports) {
      packets += p.packets();
      if (busiest == null || p.busyCycles() > busiest.busyCycles()) {
        busiest = p;
      }
      if (!p.idle()) {
        throw new IllegalStateException(p + " still has traffic after the run");
      }
    }
    double fraction = end == 0 ? 0 : busiest.busyCycles() / end;
    String busiestName = busiest.packets() == 0 ? "none" : links[busiest.linkClass].name() + " " + busiest;
    return new NetworkRun(end, clock.nsOf(end), doneCycle.clone(), collectiveDone, sent, bytesByLink,
        energy.byCategory(), new String[] {links[0].name(), links[1].name()}, collectiveLinkBytes, collectiveEnergyPj,
        busiestName, fraction, packets, scheduler.ticksExecuted());
  }
}
