package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code duplexsim run} with Cache-Craft on a reduced RAG workload (tinyllama, 64-token chunks, roofline). */
class CacheCraftRunTest {
  private static Path scenario(Path dir) throws Exception {
    return Files.writeString(dir.resolve("rag.yaml"), String.join("\n", "system: gpu", "model: tinyllama-1.1b",
        "devices-per-node: 1", "requests: 24", "input-len: 16", "output-len: 4", "max-num-seqs: 4",
        "fidelity: roofline", "rag-corpus-chunks: 12", "rag-chunks-per-prompt: 3", "rag-chunk-tokens: 64", ""));
  }

  private static JsonNode json(String... args) throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run(args);
    assertEquals(0, r.status(), r.err());
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void cacheCraftComputesLessThanFullRecomputationAndWithoutReuseIsIt(@TempDir Path dir) throws Exception {
    String file = scenario(dir).toString();
    JsonNode full = json("run", file, "--json");
    JsonNode cc = json("run", file, "--cache-craft", "--json");
    JsonNode off = json("run", file, "--cache-craft", "--cache-craft-reuse", "false", "--json");
    assertEquals(24 * (3 * 64 + 16), full.get("prefill_tokens_computed").asInt());
    assertTrue(cc.get("prefill_tokens_computed").asInt() < full.get("prefill_tokens_computed").asInt());
    assertEquals(full.get("prefill_tokens_computed").asInt(),
        cc.get("prefill_tokens_computed").asInt() + cc.get("prefill_tokens_reused").asInt());
    assertTrue(cc.get("cache_craft_hit_rate").asDouble() > 0);
    assertTrue(cc.has("cache_craft_bytes_dram_to_device") && cc.has("cache_craft_transfer_time_s"));
    assertEquals(full.get("sim_time_s"), off.get("sim_time_s"));
    assertEquals(full.get("prefill_tokens_computed"), off.get("prefill_tokens_computed"));
    assertEquals(full.get("ttft_p99_ms"), off.get("ttft_p99_ms"));
  }

  @Test
  void badCacheCraftAndRagKeysNameTheKey(@TempDir Path dir) throws Exception {
    String file = scenario(dir).toString();
    assertTrue(MainBadInputTest.badInput("run", file, "--cache-craft", "--cache-craft-alpha", "-1")
        .contains("cache-craft-alpha"));
    assertTrue(MainBadInputTest.badInput("run", file, "--cache-craft", "--cache-craft-cci", "uniform:2,3")
        .contains("cache-craft-cci"));
    assertTrue(MainBadInputTest.badInput("run", file, "--cache-craft", "--cache-craft-early-termination-layers", "22")
        .contains("cache-craft-early-termination-layers"));
    assertTrue(MainBadInputTest.badInput("run", file, "--cache-craft", "--cache-craft-hbm-fraction", "1")
        .contains("cache-craft-hbm-fraction"));
    assertTrue(MainBadInputTest.badInput("run", file, "--cache-craft", "--enable-prefix-caching")
        .contains("enable-prefix-caching"));
    assertTrue(MainBadInputTest.badInput("run", file, "--rag-hot-share", "0.01").contains("rag-hot-share"));
    assertTrue(MainBadInputTest.badInput("run", file, "--rag-corpus-chunks", "-3").contains("rag-corpus-chunks"));
    assertTrue(MainBadInputTest.badInput("run", file, "--cache-craft", "maybe").contains("cache-craft must be true"));
  }
}
