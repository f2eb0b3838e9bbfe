package io.duplexsim.units.interconnect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Point-to-point transfers through the ports: timing, contention, energy, determinism. */
class NetworkTest {
  private static final NetworkOptions OPT = NetworkOptions.DEFAULT;
  private static final Fabric TWO_NODES = Fabric.of(4, 2);

  /** Runs one schedule of the given transfers (from, to, bytes), all starting at cycle 0. */
  private static NetworkRun run(Fabric f, NetworkOptions o, long[]... transfers) {
    TransferSchedule s = new TransferSchedule();
    int k = s.newCollective();
    for (long[] t : transfers) {
      s.add(k, (int) t[0], (int) t[1], t[2]);
    }
    return new Network(f, o).run(s);
  }

  private static double ns(LinkSpec l, long bytes) {
    return bytes / l.bandwidthGBps();
  }

  @ParameterizedTest(name = "{2} bytes from {0} to {1}")
  @CsvSource({"0, 1, 1", "0, 1, 1000", "0, 3, 16384", "0, 1, 1000000", "2, 1, 67108864", "0, 4, 1", "0, 4, 1000000",
      "7, 0, 67108864"})
  void aSingleTransferTakesLatencyPlusSizeOverBandwidth(int from, int to, long bytes) {
    LinkSpec link = TWO_NODES.sameNode(from, to) ? TWO_NODES.intraNode() : TWO_NODES.interNode();
    NetworkRun r = run(TWO_NODES, OPT, new long[] {from, to, bytes});
    double ideal = link.latencyNs() + ns(link, bytes);
    // The receiving port serialises the last packet once more (store and forward per hop); hand-overs
    // between ports round up to the 1 ns clock.
    double slack = ns(link, Math.min(bytes, OPT.packetBytes())) + 2;
    assertTrue(r.timeNs() >= ideal && r.timeNs() <= ideal + slack,
        () -> r.timeNs() + " ns, expected " + ideal + " .. " + (ideal + slack));
    assertEquals(bytes, r.bytesByLink().get(link.name()));
  }

  @Test
  void twoFlowsOutOfOnePortTakeTwiceAsLongAsOne() {
    long s = 64L << 20;
    double one = run(TWO_NODES, OPT, new long[] {0, 1, s}).timeNs();
    double two = run(TWO_NODES, OPT, new long[] {0, 1, s}, new long[] {0, 2, s}).timeNs();
    double wire = ns(TWO_NODES.intraNode(), s);
    assertEquals(2 * wire, two - one + wire, 0.005 * wire, () -> "one " + one + " ns, two " + two + " ns");
  }

  @Test
  void twoFlowsIntoOnePortTakeTwiceAsLongAsOne() {
    long s = 16L << 20;
    double one = run(TWO_NODES, OPT, new long[] {1, 0, s}).timeNs();
    double two = run(TWO_NODES, OPT, new long[] {1, 0, s}, new long[] {2, 0, s}).timeNs();
    double wire = ns(TWO_NODES.intraNode(), s);
    assertEquals(2 * wire, two - one + wire, 0.005 * wire, () -> "one " + one + " ns, two " + two + " ns");
  }

  @Test
  void flowsOnSeparatePortsDoNotSlowEachOther() {
    long s = 16L << 20;
    double one = run(TWO_NODES, OPT, new long[] {0, 1, s}).timeNs();
    double two = run(TWO_NODES, OPT, new long[] {0, 1, s}, new long[] {2, 3, s}, new long[] {0, 4, s}).timeNs();
    // 0 -> 4 leaves through device 0's NIC, not its NVLink port: 16 MiB at 50 GB/s is the longest flow.
    double nic = TWO_NODES.interNode().latencyNs() + ns(TWO_NODES.interNode(), s);
    assertTrue(two >= nic && two <= nic + ns(TWO_NODES.interNode(), OPT.packetBytes()) + 2, () -> two + " vs " + nic);
    NetworkRun nvOnly = run(TWO_NODES, OPT, new long[] {0, 1, s}, new long[] {2, 3, s});
    assertEquals(one, nvOnly.timeNs());
  }

  @Test
  void manySendersIntoOneNicShareIt() {
    // All-to-one across nodes: four senders in node 1, one receiving NIC in node 0.
    long s = 4L << 20;
    NetworkRun r = run(TWO_NODES, OPT, new long[] {4, 0, s}, new long[] {5, 0, s}, new long[] {6, 0, s},
        new long[] {7, 0, s});
    double wire = ns(TWO_NODES.interNode(), 4 * s);
    assertTrue(r.timeNs() >= wire && r.timeNs() <= wire * 1.01 + TWO_NODES.interNode().latencyNs(),
        () -> r.timeNs() + " ns vs " + wire);
    assertEquals("infiniband rx of device 0", r.busiestPort());
  }

  @Test
  void energyIsBitsMovedTimesPicojoulesPerBitOfEachLink() {
    long a = 3_000_001;
    long b = 777_777;
    NetworkRun r = run(TWO_NODES, OPT, new long[] {0, 1, a}, new long[] {1, 5, b}, new long[] {6, 7, a});
    assertEquals(2 * a, r.bytesByLink().get("nvlink"));
    assertEquals(b, r.bytesByLink().get("infiniband"));
    assertEquals(2 * a * 8 * 1.3, r.energyByCategoryPj().get("link.nvlink"), 1e-6 * a);
    assertEquals(b * 8 * TWO_NODES.interNode().pjPerBit(), r.energyByCategoryPj().get("link.infiniband"), 1e-6 * b);
    assertArrayEquals(new long[] {a, b, 0, 0, 0, 0, a, 0}, r.bytesSentPerDevice());
  }

  @Test
  void dependentTransfersWaitForTheirInputs() {
    TransferSchedule s = new TransferSchedule();
    int k = s.newCollective();
    int first = s.add(k, 0, 1, 1 << 20);
    s.add(k, 1, 2, 1 << 20, first);
    NetworkRun chained = new Network(TWO_NODES, OPT).run(s);
    double single = run(TWO_NODES, OPT, new long[] {0, 1, 1 << 20}).timeNs();
    assertEquals(2 * single, chained.timeNs(), 2);
    assertEquals(chained.transferDoneCycle()[0] * 2, chained.transferDoneCycle()[1], 2);
  }

  @Test
  void fastForwardGivesTheSameRunAsTickingEveryCycle() {
    NetworkOptions small = OPT.withPacketBytes(1024);
    long[][] flows = {{0, 1, 5000}, {0, 2, 3333}, {3, 2, 4096}, {1, 6, 7000}, {5, 2, 1}, {4, 5, 9999}};
    NetworkRun ff = run(TWO_NODES, small, flows);
    NetworkRun every = run(TWO_NODES, small.withFastForward(false), flows);
    assertArrayEquals(ff.transferDoneCycle(), every.transferDoneCycle());
    assertEquals(ff.cycles(), every.cycles());
    assertEquals(ff.energyByCategoryPj(), every.energyByCategoryPj());
    assertEquals(ff.busiestPort(), every.busiestPort());
    assertTrue(ff.ticksExecuted() * 10 < every.ticksExecuted(), ff.ticksExecuted() + " vs " + every.ticksExecuted());
  }

  @Test
  void sameInputsGiveIdenticalResults() {
    long[][] flows = {{0, 1, 5_000_000}, {0, 2, 3_333_333}, {3, 2, 4_096_000}, {1, 6, 7_000_000}, {5, 2, 1}};
    NetworkRun a = run(TWO_NODES, OPT, flows);
    NetworkRun b = run(TWO_NODES, OPT, flows);
    assertArrayEquals(a.transferDoneCycle(), b.transferDoneCycle());
    assertEquals(a.energyByCategoryPj(), b.energyByCategoryPj());
    assertEquals(a.busiestPortFraction(), b.busiestPortFraction());
    assertEquals(a.packets(), b.packets());
  }
}
