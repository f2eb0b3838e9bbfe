package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code duplexsim run} with KVShare and a multi-tenant workload, from the file or flags. */
class KvShareRunTest {
  private static JsonNode json(String... args) throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run(args);
    assertEquals(0, r.status(), r.err());
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void kvShareReusesFragmentsAndFullRecomputationDoesNot(@TempDir Path dir) throws Exception {
    Path scenario = Files.writeString(dir.resolve("s.yaml"), String.join("\n", "system: gpu", "model: tinyllama-1.1b",
        "devices-per-node: 1", "requests: 12", "input-len: 32", "output-len: 8", "max-num-seqs: 4",
        "arrival: poisson:200", "fidelity: roofline", "tenants: 2", "fragments: 6", "fragment-len: uniform:64,256",
        "fragments-per-prompt: 2", ""));
    JsonNode full = json("run", scenario.toString(), "--json");
    JsonNode kv = json("run", scenario.toString(), "--kvshare", "--json");
    Path on = Files.writeString(dir.resolve("on.yaml"), Files.readString(scenario) + "kvshare: true\n");
    JsonNode file = json("run", on.toString(), "--json");
    assertTrue(!full.has("kvshare_mean_hit_rate"), "no KVShare metrics without KVShare");
    assertEquals(0, full.get("prefill_tokens_reused").asInt());
    assertTrue(kv.get("kvshare_mean_hit_rate").asDouble() > 0);
    assertEquals(full.get("prefill_tokens_computed").asLong(),
        kv.get("prefill_tokens_computed").asLong() + kv.get("prefill_tokens_reused").asLong());
    assertTrue(kv.get("kvshare_decode_recomputed_tokens").asLong() > 0);
    assertEquals(full.get("generated_tokens"), kv.get("generated_tokens"));
    ((ObjectNode) kv).remove("wall_s");
    ((ObjectNode) file).remove("wall_s");
    assertEquals(kv, file, "flag and file agree");
  }

  @Test
  void badKvShareKeysAreInputErrorsNamingTheKey() {
    assertTrue(MainBadInputTest.badInput("run", "--kvshare-recompute-ratio", "1.5")
        .contains("kvshare-recompute-ratio must be in [0, 1]"));
    assertTrue(MainBadInputTest.badInput("run", "--kvshare", "--kvshare-recompute-ratio", "-0.2")
        .contains("kvshare-recompute-ratio must be in [0, 1]"));
    assertTrue(MainBadInputTest.badInput("run", "--kvshare-cache-fraction", "1").contains("kvshare-cache-fraction"));
    assertTrue(MainBadInputTest.badInput("run", "--tenants", "-1").contains("tenants"));
    assertTrue(MainBadInputTest.badInput("run", "--tenants", "2", "--shared-prefix", "64:2").contains("shared-prefix"));
    assertTrue(MainBadInputTest.badInput("run", "--kvshare", "--enable-prefix-caching").contains("enable-prefix-caching"));
  }
}
