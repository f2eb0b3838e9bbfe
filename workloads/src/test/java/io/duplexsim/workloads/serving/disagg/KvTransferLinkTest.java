package io.duplexsim.workloads.serving.disagg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.units.interconnect.Fabric;
import io.duplexsim.units.interconnect.LinkSpec;
import io.duplexsim.units.interconnect.NetworkOptions;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KvTransferLinkTest {
  private static final LinkSpec TEST_LINK = new LinkSpec("test", "hand-built", "test", 100, 1000, 2, 0);

  private static Fabric fabric(int devices) {
    return new Fabric(devices, 1, TEST_LINK, TEST_LINK);
  }

  private static KvTransferRoute route(int[] src, int[] dst, double bytesPerToken) {
    double[] b = new double[src.length];
    java.util.Arrays.fill(b, bytesPerToken);
    return new KvTransferRoute(src, dst, b);
  }

  @Test
  void transferTimeIsBytesOverBandwidthPlusLatencyPlusOnePacketsStoreAndForward() {
    KvTransferLink link = KvTransferLink.over(fabric(2), route(new int[] {0}, new int[] {1}, 1000));
    KvTransferLink.Transfer t = link.price(4096);
    long bytes = 4096L * 1000;
    double expected = bytes / 100.0 + 1000 + NetworkOptions.DEFAULT.packetBytes() / 100.0; // GB/s = bytes/ns
    assertEquals(bytes, t.bytes());
    assertEquals(expected, t.timeNs(), 2.0, "one-ns link clock: hand-overs round up to the cycle");
    assertEquals(bytes * 8 * 2.0, t.energyPj(), 1e-6);
  }

  @Test
  void pairsOnSeparatePortsRunInParallelAndPairsSharingAReceiverDoNot() {
    double one = KvTransferLink.over(fabric(4), route(new int[] {0}, new int[] {2}, 1000)).price(2048).timeNs();
    double parallel = KvTransferLink.over(fabric(4), route(new int[] {0, 1}, new int[] {2, 3}, 1000)).price(2048)
        .timeNs();
    double incast = KvTransferLink.over(fabric(4), route(new int[] {0, 1}, new int[] {2, 2}, 1000)).price(2048)
        .timeNs();
    assertEquals(one, parallel, 2.0);
    assertEquals(2 * 2048 * 1000 / 100.0 + 1000 + NetworkOptions.DEFAULT.packetBytes() / 100.0, incast, 2.0,
        "two flows into one port take twice the serialisation");
  }

  @Test
  void anInstantLinkTakesNoTimeButCountsTheBytes() {
    KvTransferLink.Transfer t = KvTransferLink.instant(route(new int[] {0}, new int[] {1}, 1000)).price(10);
    assertEquals(10_000, t.bytes());
    assertEquals(0, t.timeNs());
    assertEquals(0, t.energyPj());
  }

  /** Mixtral has 8 KV heads: each decode device receives exactly its heads' share of every token. */
  @ParameterizedTest
  @CsvSource({"2,2", "2,4", "4,2", "1,8", "8,1", "4,4"})
  void eachDecodeDeviceReceivesItsShareOfTheKvOnce(int prefillTp, int decodeTp) {
    ModelSpec m = Models.load("mixtral-8x7b");
    KvTransferRoute r = KvTransferRoute.of(m, LayerCompiler.KV_FORMAT, prefillTp, decodeTp, prefillTp);
    double[] received = new double[decodeTp];
    for (int k = 0; k < r.pairs(); k++) {
      assertEquals(true, r.src()[k] < prefillTp && r.dst()[k] >= prefillTp, "prefill sends, decode receives");
      received[r.dst()[k] - prefillTp] += r.bytesPerToken()[k];
    }
    double perToken = m.kvBytesPerToken(LayerCompiler.KV_FORMAT);
    for (double b : received) {
      assertEquals(perToken / decodeTp, b, 1e-9);
    }
    assertEquals((long) Math.ceil(perToken * 100), r.bytes(100), prefillTp * decodeTp);
  }
}
