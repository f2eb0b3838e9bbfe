package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code duplexsim op} and {@code duplexsim list devices} through {@link Main#run}. Small shapes only. */
class OpCommandTest {
  private static final List<String> KEYS = List.of("unit", "op", "device", "m", "k", "n", "dtype", "cycles",
      "time_ns", "flops", "bytes", "achieved_tflops", "achieved_GBps", "op_per_byte", "bound", "energy_pJ",
      "energy_breakdown", "wall_s");
  private static final double PINS_GBPS_PER_STACK = 665.6;

  private static JsonNode json(String... args) throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run(args);
    assertEquals(0, r.status(), () -> "err: " + r.err());
    JsonNode node = new ObjectMapper().readTree(r.out());
    for (String key : KEYS) {
      assertTrue(node.has(key), () -> "missing key " + key + " in " + r.out());
    }
    assertEquals(KEYS.size(), node.size(), r.out());
    return node;
  }

  private static void mentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "'" + message + "' should mention '" + p + "'");
    }
  }

  @Test
  void logicPimGemmOnDuplex() throws Exception {
    JsonNode j = json("op", "--device", "duplex", "--unit", "logic-pim", "--op", "gemm", "--m", "8", "--k", "1024",
        "--n", "2048", "--dtype", "bf16", "--json");
    assertEquals("logic-pim", j.get("unit").asText());
    assertEquals("gemm", j.get("op").asText());
    assertEquals("duplex", j.get("device").asText());
    assertEquals(8, j.get("m").asInt());
    assertEquals("bf16", j.get("dtype").asText());
    assertEquals(2L * 8 * 1024 * 2048, j.get("flops").asLong());
    assertEquals(2L * 1024 * 2048, j.get("bytes").asLong());
    assertTrue(j.get("cycles").asLong() > 0);
    assertTrue(j.get("time_ns").asDouble() > 0);
    assertTrue(j.get("energy_pJ").asDouble() > 0);
    assertTrue(j.get("energy_breakdown").isObject() && j.get("energy_breakdown").size() > 0);
    double gbps = j.get("achieved_GBps").asDouble();
    assertTrue(gbps > 0 && gbps <= 5 * 4 * PINS_GBPS_PER_STACK, () -> "GB/s " + gbps);
    assertEquals(8.0, j.get("op_per_byte").asDouble(), 0.08);
  }

  @Test
  void bankPimGemvOnBankPimDevice() throws Exception {
    JsonNode j = json("op", "--device", "bank-pim", "--unit", "bank-pim", "--op", "gemv", "--k", "1024", "--n",
        "2048", "--json");
    assertEquals("bank-pim", j.get("unit").asText());
    assertEquals(1, j.get("m").asInt());
    assertEquals(1.0, j.get("op_per_byte").asDouble(), 0.01);
    assertTrue(j.get("achieved_GBps").asDouble() <= 5 * 16 * PINS_GBPS_PER_STACK);
  }

  @Test
  void tableOutputListsTheSameMetrics() {
    MainBadInputTest.Run r = MainBadInputTest.run("op", "--device", "logic-pim-only", "--unit", "logic-pim", "--op",
        "gemv", "--k", "512", "--n", "1024");
    assertEquals(0, r.status(), r.err());
    for (String key : KEYS) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(key + " ") || l.startsWith(key + ":")),
          () -> key + " not in\n" + r.out());
    }
  }

  @Test
  void unitTheDeviceLacksIsAnInputError() {
    mentions(MainBadInputTest.badInput("op", "--device", "gpu", "--unit", "logic-pim", "--op", "gemm", "--m", "8",
        "--k", "1024", "--n", "2048"), "device 'gpu' has no unit 'logic-pim'; it has [xpu]");
  }

  @Test
  void unsimulatedUnitsAndOpsAreInputErrors() {
    mentions(MainBadInputTest.badInput("op", "--device", "gpu", "--unit", "xpu", "--op", "gemm", "--m", "8", "--k",
        "1024", "--n", "2048"), "unit 'xpu' is not simulated yet", "issue 3");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "softmax", "--k",
        "1024", "--n", "2048"), "op 'softmax' is not simulated yet");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "conv", "--k",
        "1024", "--n", "2048"), "unknown op 'conv'", "gemm");
  }

  @Test
  void badNumbersNameTheFlag() {
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "gemm", "--m", "0",
        "--k", "1024", "--n", "2048"), "--m", "positive");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "gemm", "--m", "8",
        "--k", "-1", "--n", "2048"), "--k");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "gemm", "--m", "8",
        "--k", "1024", "--n", "0"), "--n");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "gemm", "--k",
        "1024", "--n", "2048"), "--m is required");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "gemv", "--m", "9",
        "--k", "1024", "--n", "2048"), "--m", "at most 8");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "gemv", "--k",
        "1024", "--n", "2048", "--dtype", "bf17"), "--dtype", "bf17");
    mentions(MainBadInputTest.badInput("op", "--device", "tpu", "--unit", "xpu", "--op", "gemv", "--k", "1024",
        "--n", "2048"), "unknown device 'tpu'", "duplex");
  }

  @Test
  void listDevicesListsTheFivePresets() {
    MainBadInputTest.Run r = MainBadInputTest.run("list", "devices");
    assertEquals(0, r.status(), r.err());
    for (String name : List.of("gpu", "duplex", "bank-pim", "bankgroup-pim", "logic-pim-only")) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ")), () -> name + " not in\n" + r.out());
    }
    assertEquals(6, r.out().lines().count(), r.out());
  }
}
