package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code duplexsim op} and {@code duplexsim list devices} through {@link Main#run}. Small shapes only. */
class OpCommandTest {
  private static final List<String> RESULT_KEYS = List.of("dtype", "cycles", "time_ns", "flops", "bytes",
      "achieved_tflops", "achieved_GBps", "op_per_byte", "bound", "energy_pJ", "energy_breakdown", "wall_s");
  private static final List<String> KEYS = keys("m", "k", "n");
  private static final double PINS_GBPS_PER_STACK = 665.6;

  /** unit, op, device, the op's shape fields, then the result fields. */
  private static List<String> keys(String... shape) {
    List<String> k = new java.util.ArrayList<>(List.of("unit", "op", "device"));
    k.addAll(List.of(shape));
    k.addAll(RESULT_KEYS);
    return k;
  }

  private static JsonNode json(String... args) throws Exception {
    return json(KEYS, args);
  }

  private static JsonNode json(List<String> keys, String... args) throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run(args);
    assertEquals(0, r.status(), () -> "err: " + r.err());
    JsonNode node = new ObjectMapper().readTree(r.out());
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    assertEquals(keys, names, r.out());
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
    // W once, and X (8 x 1024 BF16) into each of the 5 stacks' input buffers.
    assertEquals(2L * 1024 * 2048 + 5 * 2L * 8 * 1024, j.get("bytes").asLong());
    assertTrue(j.get("cycles").asLong() > 0);
    assertTrue(j.get("time_ns").asDouble() > 0);
    assertTrue(j.get("energy_pJ").asDouble() > 0);
    assertTrue(j.get("energy_breakdown").isObject() && j.get("energy_breakdown").size() > 0);
    double gbps = j.get("achieved_GBps").asDouble();
    assertTrue(gbps > 0 && gbps <= 5 * 4 * PINS_GBPS_PER_STACK, () -> "GB/s " + gbps);
    // 2mkn over W plus X: slightly under m = 8 since X crosses into every stack's buffer.
    assertEquals(2.0 * 8 * 1024 * 2048 / (2L * 1024 * 2048 + 5 * 2L * 8 * 1024), j.get("op_per_byte").asDouble(), 1e-9);
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
  void logicPimDecodeAttentionReportsTheGqaGroupAsOpPerByte() throws Exception {
    JsonNode j = json(keys("batch", "kv_len", "heads", "kv_heads", "head_dim"), "op", "--device", "logic-pim-only",
        "--unit", "logic-pim", "--op", "attention-decode", "--batch", "2", "--kv-len", "256", "--heads", "32",
        "--kv-heads", "8", "--head-dim", "128", "--json");
    assertEquals("attention-decode", j.get("op").asText());
    assertEquals(2, j.get("batch").asInt());
    assertEquals(8, j.get("kv_heads").asInt());
    assertEquals(2L * 2 * 8 * 128 * 256 * 2, j.get("bytes").asLong()); // K and V, BF16
    assertEquals(4.0, j.get("op_per_byte").asDouble(), 1e-12);
    assertTrue(j.get("energy_breakdown").has("logic-pim.softmax"), j.toString());
    double gbps = j.get("achieved_GBps").asDouble();
    assertTrue(gbps > 0 && gbps <= 5 * 4 * PINS_GBPS_PER_STACK, () -> "GB/s " + gbps);
  }

  @Test
  void kvHeadsDefaultToHeads() throws Exception {
    JsonNode j = json(keys("batch", "kv_len", "heads", "kv_heads", "head_dim"), "op", "--device", "bank-pim",
        "--unit", "bank-pim", "--op", "attention-decode", "--batch", "1", "--kv-len", "128", "--heads", "4",
        "--head-dim", "64", "--json");
    assertEquals(4, j.get("kv_heads").asInt());
    assertEquals(1.0, j.get("op_per_byte").asDouble(), 1e-12);
  }

  @Test
  void softmaxRunsOnTheStacksSoftmaxUnits() throws Exception {
    JsonNode j = json(keys("rows", "length"), "op", "--device", "duplex", "--unit", "logic-pim", "--op", "softmax",
        "--rows", "10", "--length", "1024", "--json");
    assertEquals(5L * 10 * 1024, j.get("flops").asLong());
    assertEquals("softmax", j.get("bound").asText());
    assertTrue(j.get("cycles").asLong() > 0);
  }

  @Test
  void xpuGemvOnTheGpuStreamsBelowThePins() throws Exception {
    JsonNode j = json("op", "--device", "gpu", "--unit", "xpu", "--op", "gemv", "--k", "512", "--n", "4096", "--json");
    assertEquals("xpu", j.get("unit").asText());
    assertEquals(2L * 512 * 4096, j.get("flops").asLong());
    // W once, plus X and Y: at least the weights crossed the memory.
    assertTrue(j.get("bytes").asLong() >= 2L * 512 * 4096, j.toString());
    assertTrue(j.get("achieved_GBps").asDouble() < 5 * PINS_GBPS_PER_STACK, j.toString());
    assertEquals("memory", j.get("bound").asText());
    assertTrue(j.get("energy_breakdown").has("xpu.mac"), j.toString());
  }

  @Test
  void xpuRunsPrefillAttentionAndSoftmax() throws Exception {
    JsonNode p = json(keys("batch", "kv_len", "heads", "kv_heads", "head_dim"), "op", "--device", "gpu", "--unit",
        "xpu", "--op", "attention-prefill", "--batch", "1", "--kv-len", "256", "--heads", "8", "--kv-heads", "2",
        "--head-dim", "64", "--json");
    assertTrue(p.get("achieved_tflops").asDouble() > 0, p.toString());
    JsonNode s = json(keys("rows", "length"), "op", "--device", "gpu", "--unit", "xpu", "--op", "softmax", "--rows",
        "64", "--length", "1024", "--json");
    assertTrue(s.get("bytes").asLong() >= 2L * 64 * 1024 * 2, s.toString());
  }

  @Test
  void unsimulatedUnitsAndOpsAreInputErrors() {
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "attention-prefill",
        "--batch", "1", "--kv-len", "512", "--heads", "32", "--head-dim", "128"),
        "prefill attention is not run on logic-pim", "xPU");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "conv", "--k",
        "1024", "--n", "2048"), "unknown op 'conv'", "gemm");
  }

  @Test
  void badAttentionAndSoftmaxShapesNameTheFlag() {
    String[] base = {"op", "--device", "duplex", "--unit", "logic-pim", "--op", "attention-decode"};
    mentions(MainBadInputTest.badInput(concat(base, "--batch", "4", "--heads", "32", "--kv-heads", "8",
        "--head-dim", "128")), "--kv-len is required for --op attention-decode");
    mentions(MainBadInputTest.badInput(concat(base, "--batch", "4", "--kv-len", "512", "--heads", "32",
        "--kv-heads", "5", "--head-dim", "128")), "--kv-heads must divide --heads (32), got 5");
    mentions(MainBadInputTest.badInput(concat(base, "--batch", "0", "--kv-len", "512", "--heads", "32",
        "--head-dim", "128")), "--batch must be positive");
    mentions(MainBadInputTest.badInput(concat(base, "--batch", "4", "--kv-len", "512", "--heads", "32")),
        "--head-dim is required");
    mentions(MainBadInputTest.badInput(concat(base, "--batch", "4", "--kv-len", "512", "--heads", "32",
        "--head-dim", "128", "--k", "4096")), "--k does not apply to --op attention-decode");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "softmax", "--rows",
        "4"), "--length is required for --op softmax");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "softmax", "--k",
        "1024", "--n", "2048"), "--k does not apply to --op softmax");
    mentions(MainBadInputTest.badInput("op", "--device", "duplex", "--unit", "logic-pim", "--op", "gemm", "--m", "1",
        "--k", "1024"), "--n is required for --op gemm");
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
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
  void listDevicesListsThePresets() {
    MainBadInputTest.Run r = MainBadInputTest.run("list", "devices");
    assertEquals(0, r.status(), r.err());
    List<String> names = List.of("gpu", "duplex", "bank-pim", "bank-pim-power-limited", "bankgroup-pim",
        "logic-pim-only");
    for (String name : names) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ")), () -> name + " not in\n" + r.out());
    }
    assertEquals(names.size() + 1, r.out().lines().count(), r.out());
  }
}
