package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RecursiveRunCommandTest {
  private static final String[] SMALL = {"run", "--system", "gpu", "--model", "tinyllama-1.1b", "--devices-per-node",
      "1", "--requests", "4", "--input-len", "16", "--output-len", "6", "--max-num-seqs", "4", "--fidelity", "roofline",
      "--json"};

  private static String[] with(String... more) {
    String[] all = new String[SMALL.length + more.length];
    System.arraycopy(SMALL, 0, all, 0, SMALL.length);
    System.arraycopy(more, 0, all, SMALL.length, more.length);
    return all;
  }

  @Test
  void depthwiseFlagsPrintExitsPerLoopAndTheRecursiveModelStoresLess() throws Exception {
    MainBadInputTest.Run vanilla = MainBadInputTest.run(SMALL);
    MainBadInputTest.Run r = MainBadInputTest.run(with("--recursive-loops", "2", "--recursive-lora-rank", "16",
        "--recursive-batching", "depth", "--recursive-exit-probs", "0.5"));
    assertEquals(0, r.status(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    JsonNode v = new ObjectMapper().readTree(vanilla.out());
    assertEquals("depth", j.get("recursive_batching").asText());
    assertEquals(2, j.get("exits_per_loop").size());
    assertEquals(20, j.get("exits_per_loop").get(0).asLong() + j.get("exits_per_loop").get(1).asLong());
    assertTrue(j.get("lora_flops_overhead").asDouble() > 0);
    assertTrue(j.get("weight_gb_per_device").asDouble() < v.get("weight_gb_per_device").asDouble());
    assertTrue(j.get("kv_capacity_tokens").asLong() > v.get("kv_capacity_tokens").asLong());
    assertTrue(v.path("exits_per_loop").isMissingNode(), "the ordinary model prints no recursive metrics");
  }

  @Test
  void loopsThatDoNotDivideTheLayersExitWithTwoNamingTheKey() {
    MainBadInputTest.Run r = MainBadInputTest.run(with("--recursive-loops", "3"));
    assertEquals(2, r.status());
    assertTrue(r.err().contains("recursive-loops (3) must divide the 22 layers"), r.err());
    MainBadInputTest.Run p = MainBadInputTest.run(with("--recursive-loops", "2", "--recursive-exit-probs", "1.2"));
    assertEquals(2, p.status());
    assertTrue(p.err().contains("recursive-exit-probs must be in [0, 1]"), p.err());
    MainBadInputTest.Run m = MainBadInputTest.run(with("--recursive-loops", "2", "--recursive-batching", "wide"));
    assertEquals(2, m.status());
    assertTrue(m.err().contains("recursive-batching must be 'sequence' or 'depth'"), m.err());
    MainBadInputTest.Run off = MainBadInputTest.run(with("--recursive-lora-rank", "8"));
    assertEquals(2, off.status());
    assertTrue(off.err().contains("need recursive-loops >= 2"), off.err());
  }

  @Test
  void aSmallerWeightFormatLeavesMoreRoomForKvAndABiggerBatch() throws Exception {
    JsonNode bf16 = new ObjectMapper().readTree(MainBadInputTest.run(with("--weight-format", "bf16")).out());
    JsonNode fp8 = new ObjectMapper().readTree(MainBadInputTest.run(with("--weight-format", "fp8")).out());
    JsonNode int4 = new ObjectMapper().readTree(MainBadInputTest.run(with("--weight-format", "int4")).out());
    assertTrue(bf16.get("kv_capacity_tokens").asLong() < fp8.get("kv_capacity_tokens").asLong());
    assertTrue(fp8.get("kv_capacity_tokens").asLong() < int4.get("kv_capacity_tokens").asLong());
    // 16 + 6 - 1 = 21 tokens: 2 blocks of 16 per request
    assertEquals(bf16.get("kv_capacity_blocks").asLong() / 2, bf16.get("max_batch_fit").asLong());
    assertTrue(bf16.get("max_batch_fit").asLong() < int4.get("max_batch_fit").asLong());
  }
}
