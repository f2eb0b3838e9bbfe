package io.duplexsim.validation.cli;

import static io.duplexsim.validation.cli.MainBadInputTest.badInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code duplexsim collective} and {@code duplexsim list systems} through {@link Main#run}. Small payloads. */
class CollectiveCommandTest {
  private static JsonNode json(String... args) throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run(args);
    assertEquals(0, r.status(), () -> "err: " + r.err());
    JsonNode node = new ObjectMapper().readTree(r.out());
    for (String key : CollectiveCommand.KEYS) {
      assertTrue(node.has(key), () -> "missing key " + key + " in " + r.out());
    }
    assertEquals(CollectiveCommand.KEYS.size(), node.size(), r.out());
    return node;
  }

  private static void mentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "'" + message + "' should mention '" + p + "'");
    }
  }

  @Test
  void allReduceOnAPreset() throws Exception {
    JsonNode j = json("collective", "--system", "duplex-1x4", "--op", "all-reduce", "--bytes", "4MiB", "--json");
    assertEquals("duplex-1x4", j.get("system").asText());
    assertEquals("ring", j.get("algorithm").asText());
    assertEquals(4, j.get("group_size").asInt());
    assertEquals(4L << 20, j.get("bytes").asLong());
    assertEquals(2L * 3 * (1L << 20), j.get("bytes_sent_per_device").asLong());
    double t = j.get("time_ns").asDouble();
    assertEquals((4L << 20) / t, j.get("achieved_GBps").asDouble(), 1e-9);
    assertEquals(1.5 * j.get("achieved_GBps").asDouble(), j.get("bus_GBps").asDouble(), 1e-9);
    assertTrue(j.get("bus_GBps").asDouble() < 450);
    assertEquals(0, j.get("link_bytes").get("infiniband").asLong());
    assertTrue(j.get("energy_breakdown").get("link.nvlink").asDouble() > 0);
  }

  @Test
  void systemFromPartsWithLinkOverride() throws Exception {
    JsonNode base = json("collective", "--device", "gpu", "--devices-per-node", "2", "--nodes", "2", "--op",
        "send-recv", "--group", "0,2", "--bytes", "1MiB", "--json");
    JsonNode cheap = json("collective", "--device", "gpu", "--devices-per-node", "2", "--nodes", "2", "--op",
        "send-recv", "--group", "0,2", "--bytes", "1MiB", "--link", "infiniband.pjPerBit=1", "--json");
    assertEquals("gpu-2x2", base.get("system").asText());
    assertEquals(1L << 20, base.get("link_bytes").get("infiniband").asLong());
    assertEquals(8.0 * (1 << 20), cheap.get("energy_pJ").asDouble(), 1e-6);
    assertEquals(base.get("time_ns").asDouble(), cheap.get("time_ns").asDouble());
  }

  @Test
  void tableOutputListsTheSameMetrics() {
    MainBadInputTest.Run r = MainBadInputTest.run("collective", "--system", "gpu-2x8", "--op", "all-to-all", "--bytes",
        "256KiB");
    assertEquals(0, r.status(), r.err());
    for (String key : CollectiveCommand.KEYS) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(key + " ") || l.startsWith(key + ":")),
          () -> key + " not in\n" + r.out());
    }
  }

  @Test
  void badFlagsAreInputErrors() {
    mentions(badInput("collective", "--system", "tpu-1x4", "--op", "all-reduce", "--bytes", "1MiB"), "tpu-1x4",
        "duplex-1x4");
    mentions(badInput("collective", "--op", "all-reduce", "--bytes", "1MiB"), "--system", "--device");
    mentions(badInput("collective", "--system", "gpu-1x4", "--device", "gpu", "--op", "all-reduce", "--bytes", "1MiB"),
        "either --system or --device");
    mentions(badInput("collective", "--device", "gpu", "--op", "all-reduce", "--bytes", "1MiB"), "--devices-per-node");
    mentions(badInput("collective", "--device", "gpu", "--devices-per-node", "9", "--op", "all-reduce", "--bytes",
        "1MiB"), "at most 8");
    mentions(badInput("collective", "--device", "gpu", "--devices-per-node", "4", "--nodes", "0", "--op",
        "all-reduce", "--bytes", "1MiB"), "nodes");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "broadcast", "--bytes", "1MiB"), "broadcast",
        "all-reduce");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "all-reduce", "--bytes", "1MiB", "--algorithm",
        "tree"), "tree", "ring");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "all-to-all", "--bytes", "1MiB", "--algorithm",
        "ring"), "direct only");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "all-reduce", "--bytes", "0"), "payload");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "all-reduce", "--bytes", "lots"), "lots");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "all-reduce", "--bytes", "1MiB", "--group", "0,4"),
        "device 4", "0..3");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "send-recv", "--bytes", "1MiB", "--group", "0,1,2"),
        "exactly 2");
    mentions(badInput("collective", "--system", "gpu-2x8", "--op", "all-reduce", "--bytes", "1MiB", "--group",
        "0,1,8"), "same number", "flat");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "all-reduce", "--bytes", "1MiB", "--link",
        "pcie.latencyNs=3"), "pcie", "nvlink");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "all-reduce", "--bytes", "1MiB", "--link",
        "nvlink.speed=3"), "speed", "bandwidthGBps");
    mentions(badInput("collective", "--system", "gpu-1x4", "--op", "all-reduce", "--bytes", "1MiB", "--packet", "0"),
        "packet");
    badInput("collective", "--system", "gpu-1x4", "--bytes", "1MiB");
  }

  @Test
  void listSystemsListsThePresets() {
    MainBadInputTest.Run r = MainBadInputTest.run("list", "systems");
    assertEquals(0, r.status(), r.err());
    for (String name : List.of("gpu-1x4", "duplex-1x4", "gpu-1x8", "duplex-1x8", "gpu-2x8", "duplex-2x8")) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ")), () -> name + " not in\n" + r.out());
    }
    assertEquals(7, r.out().lines().count(), r.out());
  }
}
