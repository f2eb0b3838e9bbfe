package io.duplexsim.units.interconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Collective;
import io.duplexsim.isa.CollectiveKind;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import io.duplexsim.sim.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Collectives compiled to transfers and simulated: what their times, bytes and energy must show. */
class CollectivesTest {
  private static final long MIB = 1 << 20;
  private static final double NV_GBPS = 450;
  private static final double IB_GBPS = 50;

  private static CollectiveResult run(Fabric f, CollectiveOp op, long bytes, CollectiveAlgorithm alg) {
    return Interconnect.simulate(f, CollectiveRequest.of(op, bytes, f.devices()).withAlgorithm(alg));
  }

  @ParameterizedTest(name = "p = {0}")
  @ValueSource(ints = {2, 4, 8})
  void ringAllReduceApproachesTwoPMinusOneOverPTimesSizeOverBandwidth(int p) {
    long s = 256 * MIB;
    CollectiveResult r = run(Fabric.of(p, 1), CollectiveOp.ALL_REDUCE, s, CollectiveAlgorithm.RING);
    double bound = 2.0 * (p - 1) / p * s / NV_GBPS;
    assertTrue(r.timeNs() >= bound && r.timeNs() <= 1.03 * bound, () -> r.timeNs() + " ns vs bound " + bound);
    assertEquals("link", r.bound());
    assertTrue(r.busBandwidthGBps() > 0.97 * NV_GBPS && r.busBandwidthGBps() <= NV_GBPS, r::toString);
  }

  @Test
  void directNeedsFewerStepsThanRingForSmallMessages() {
    Fabric f = Fabric.of(8, 1);
    double latency = f.intraNode().latencyNs();
    CollectiveResult ring = run(f, CollectiveOp.ALL_REDUCE, 16 * 1024, CollectiveAlgorithm.RING);
    CollectiveResult direct = run(f, CollectiveOp.ALL_REDUCE, 16 * 1024, CollectiveAlgorithm.DIRECT);
    // Latency-bound: ring pays 2(p-1) = 14 link latencies, direct 2.
    assertEquals(14 * latency, ring.timeNs(), 0.05 * ring.timeNs());
    assertEquals(2 * latency, direct.timeNs(), 0.1 * direct.timeNs());
    assertEquals("latency", ring.bound());
    assertEquals("latency", direct.bound());
    // Both send the same bytes; only the steps differ.
    assertEquals(ring.linkBytes(), direct.linkBytes());
  }

  @Test
  void directAndRingMoveTheSameBytesSoLargeMessagesTakeAboutTheSameTime() {
    Fabric f = Fabric.of(8, 1);
    CollectiveResult ring = run(f, CollectiveOp.ALL_REDUCE, 128 * MIB, CollectiveAlgorithm.RING);
    CollectiveResult direct = run(f, CollectiveOp.ALL_REDUCE, 128 * MIB, CollectiveAlgorithm.DIRECT);
    assertTrue(direct.timeNs() < ring.timeNs(), () -> direct.timeNs() + " vs " + ring.timeNs());
    assertTrue(ring.timeNs() < 1.06 * direct.timeNs(), () -> direct.timeNs() + " vs " + ring.timeNs());
  }

  @Test
  void bytesEachDeviceSendsAreWhatTheIsaCounts() {
    for (CollectiveKind kind : List.of(CollectiveKind.ALL_REDUCE, CollectiveKind.ALL_TO_ALL, CollectiveKind.SEND)) {
      int p = kind == CollectiveKind.SEND ? 2 : 8;
      IntSeq group = IntSeq.of(java.util.stream.IntStream.range(0, p).toArray());
      Collective c = new Collective(0, Unit.LINK, IntSeq.empty(), kind, 64 * MIB, group);
      CollectiveResult r = Interconnect.simulate(Fabric.of(8, 1), CollectiveRequest.of(c, CollectiveAlgorithm.RING));
      assertEquals(c.bytes(), r.maxBytesSentPerDevice(), kind::toString);
    }
  }

  @Test
  void crossNodeFlatRingIsLimitedByInfiniband() {
    Fabric f = Fabric.of(8, 2);
    CollectiveResult flat = Interconnect.simulate(f, CollectiveRequest.of(CollectiveOp.ALL_REDUCE, 64 * MIB, 16).flat());
    assertTrue(flat.busBandwidthGBps() <= IB_GBPS && flat.busBandwidthGBps() > 0.97 * IB_GBPS, flat::toString);
    assertTrue(flat.busiestPort().startsWith("infiniband"), flat.busiestPort());
    assertEquals("link", flat.bound());
  }

  @Test
  void hierarchicalAllReduceSendsOnlyAShardAcrossNodes() {
    Fabric f = Fabric.of(8, 2);
    long s = 64 * MIB;
    CollectiveResult h = Interconnect.simulate(f, CollectiveRequest.of(CollectiveOp.ALL_REDUCE, s, 16));
    CollectiveResult flat = Interconnect.simulate(f, CollectiveRequest.of(CollectiveOp.ALL_REDUCE, s, 16).flat());
    assertEquals("hierarchical ring (2 nodes x 8)", h.algorithm());
    // Each of the 8 local ranks all-reduces S/8 between 2 nodes: 2 x (2-1)/2 x S/8 per device, 16 devices.
    assertEquals(2 * s, h.bytesByLink().get("infiniband"));
    // Inside each node: reduce-scatter and all-gather of S, (l-1)/l x S per device each.
    assertEquals(2 * 2 * 7 * s, h.bytesByLink().get("nvlink"));
    // The cross-node phase alone needs (S/8) / 50 GB/s; the intra-node phases add 2 x 7/8 x S / 450 GB/s.
    double ib = (s / 8.0) / IB_GBPS;
    double nv = 2 * 7.0 / 8 * s / NV_GBPS;
    assertTrue(h.timeNs() >= ib + nv && h.timeNs() < 1.05 * (ib + nv), () -> h.timeNs() + " vs " + (ib + nv));
    assertTrue(flat.timeNs() > 5 * h.timeNs(), () -> flat.timeNs() + " vs " + h.timeNs());
  }

  @Test
  void allToAllAcrossNodesIsLimitedByEachNic() {
    Fabric f = Fabric.of(8, 2);
    long s = 64 * MIB;
    CollectiveResult r = run(f, CollectiveOp.ALL_TO_ALL, s, CollectiveAlgorithm.DIRECT);
    // Half of each device's buffer goes to the other node, all through its one NIC.
    double nic = (s / 2.0) / IB_GBPS;
    assertTrue(r.timeNs() >= nic && r.timeNs() < 1.02 * nic, () -> r.timeNs() + " vs " + nic);
    assertTrue(r.busiestPort().startsWith("infiniband"), r.busiestPort());
    assertEquals(16 * s / 2, r.bytesByLink().get("infiniband"));
    assertEquals(16 * 7 * s / 16, r.bytesByLink().get("nvlink"));
  }

  @Test
  void twoCollectivesOnTheSameDevicesContend() {
    Fabric f = Fabric.of(8, 1);
    long s = 64 * MIB;
    CollectiveRequest first = new CollectiveRequest(CollectiveOp.ALL_REDUCE, s, new int[] {0, 1, 2, 3},
        CollectiveAlgorithm.RING, true);
    CollectiveRequest same = new CollectiveRequest(CollectiveOp.ALL_REDUCE, s, new int[] {3, 2, 1, 0},
        CollectiveAlgorithm.RING, true);
    CollectiveRequest other = new CollectiveRequest(CollectiveOp.ALL_REDUCE, s, new int[] {4, 5, 6, 7},
        CollectiveAlgorithm.RING, true);
    double alone = Interconnect.simulate(f, first).timeNs();
    List<CollectiveResult> shared = Interconnect.simulateTogether(f, List.of(first, same), NetworkOptions.DEFAULT);
    List<CollectiveResult> apart = Interconnect.simulateTogether(f, List.of(first, other), NetworkOptions.DEFAULT);
    double both = Math.max(shared.get(0).timeNs(), shared.get(1).timeNs());
    assertTrue(both > 1.9 * alone && both < 2.05 * alone, () -> both + " vs alone " + alone);
    assertEquals(alone, apart.get(0).timeNs());
    assertEquals(alone, apart.get(1).timeNs());
    assertEquals(shared.get(0).energyPj(), Interconnect.simulate(f, first).energyPj(), 1e-6);
  }

  @Test
  void allGatherAndReduceScatterEachTakeHalfAnAllReduce() {
    Fabric f = Fabric.of(4, 1);
    long s = 128 * MIB;
    for (CollectiveAlgorithm alg : CollectiveAlgorithm.values()) {
      double ar = run(f, CollectiveOp.ALL_REDUCE, s, alg).timeNs();
      double ag = run(f, CollectiveOp.ALL_GATHER, s, alg).timeNs();
      double rs = run(f, CollectiveOp.REDUCE_SCATTER, s, alg).timeNs();
      assertEquals(ar / 2, ag, 0.01 * ar, alg::label);
      assertEquals(ar / 2, rs, 0.01 * ar, alg::label);
    }
  }

  @Test
  void sendRecvIsOneTransfer() {
    Fabric f = Fabric.of(8, 2);
    CollectiveResult r = Interconnect.simulate(f, new CollectiveRequest(CollectiveOp.SEND_RECV, 8 * MIB,
        new int[] {3, 11}, CollectiveAlgorithm.DIRECT, true));
    assertEquals(1, r.transfers());
    assertEquals(8 * MIB, r.bytesByLink().get("infiniband"));
    assertEquals(0L, r.bytesByLink().get("nvlink"));
    assertEquals(r.algBandwidthGBps(), r.busBandwidthGBps());
  }

  @Test
  void energyBreakdownIsBitsTimesPicojoulesPerLinkClass() {
    Fabric f = Fabric.of(8, 2);
    CollectiveResult r = Interconnect.simulate(f, CollectiveRequest.of(CollectiveOp.ALL_REDUCE, 10_000_019, 16));
    double nv = r.bytesByLink().get("nvlink") * 8 * f.intraNode().pjPerBit();
    double ib = r.bytesByLink().get("infiniband") * 8 * f.interNode().pjPerBit();
    assertEquals(nv, r.energyBreakdownPj().get("link.nvlink"), 1e-9 * nv);
    assertEquals(ib, r.energyBreakdownPj().get("link.infiniband"), 1e-9 * ib);
    assertEquals(nv + ib, r.energyPj(), 1e-9 * (nv + ib));
  }

  @Test
  void sameInputsGiveIdenticalResults() {
    Fabric f = Fabric.of(8, 2);
    CollectiveRequest r = CollectiveRequest.of(CollectiveOp.ALL_REDUCE, 3 * MIB + 7, 16)
        .withAlgorithm(CollectiveAlgorithm.DIRECT);
    assertEquals(Interconnect.simulate(f, r), Interconnect.simulate(f, r));
  }

  @Test
  void badRequestsAreInputErrors() {
    Fabric f = Fabric.of(4, 2);
    InputException e = assertThrows(InputException.class, () -> Interconnect.simulate(f,
        new CollectiveRequest(CollectiveOp.ALL_REDUCE, 1024, new int[] {0, 9}, CollectiveAlgorithm.RING, true)));
    assertTrue(e.getMessage().contains("device 9") && e.getMessage().contains("8 devices"), e.getMessage());
    e = assertThrows(InputException.class, () -> Interconnect.simulate(f,
        new CollectiveRequest(CollectiveOp.ALL_REDUCE, 1024, new int[] {0, 1, 4}, CollectiveAlgorithm.RING, true)));
    assertTrue(e.getMessage().contains("same number") && e.getMessage().contains("flat"), e.getMessage());
    e = assertThrows(InputException.class, () -> new CollectiveRequest(CollectiveOp.ALL_TO_ALL, 1024,
        new int[] {0, 1}, CollectiveAlgorithm.RING, true));
    assertTrue(e.getMessage().contains("direct only"), e.getMessage());
    assertThrows(InputException.class, () -> new CollectiveRequest(CollectiveOp.ALL_REDUCE, 0, new int[] {0, 1},
        CollectiveAlgorithm.RING, true));
    assertThrows(InputException.class, () -> new CollectiveRequest(CollectiveOp.ALL_REDUCE, 8, new int[] {0, 0},
        CollectiveAlgorithm.RING, true));
    assertThrows(InputException.class, () -> new CollectiveRequest(CollectiveOp.SEND_RECV, 8, new int[] {0, 1, 2},
        CollectiveAlgorithm.DIRECT, true));
    e = assertThrows(InputException.class, () -> CollectiveOp.parse("broadcast"));
    assertTrue(e.getMessage().contains("all-reduce"), e.getMessage());
  }

  @Test
  void tinyPayloadsWithEmptyChunksStillComplete() {
    CollectiveResult r = run(Fabric.of(8, 1), CollectiveOp.ALL_REDUCE, 3, CollectiveAlgorithm.RING);
    assertEquals(3L * 2 * 8 - 3L * 2, r.bytesByLink().get("nvlink")); // 3 one-byte chunks, each moved 7 + 7 times
    assertTrue(r.timeNs() > 0);
  }
}
