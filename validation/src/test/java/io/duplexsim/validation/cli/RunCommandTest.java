package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  private static final List<String> KEYS = List.of("system", "model", "fidelity", "requests", "generated_tokens",
      "sim_time_s", "throughput_tokens_per_s", "ttft_p50_ms", "ttft_p99_ms", "tbt_p50_ms", "tbt_p90_ms", "tbt_p99_ms",
      "e2e_p50_ms", "energy_per_token_mJ", "energy_breakdown", "wall_s");

  @Test
  void aScenarioFileWithFlagOverridesPrintsTheIssuesKeysAndWritesItsFiles(@TempDir Path dir) throws Exception {
    Path scenario = Files.writeString(dir.resolve("s.yaml"), String.join("\n", "system: gpu", "model: tinyllama-1.1b",
        "devices-per-node: 1", "requests: 64", "input-len: 32", "output-len: 8", "max-num-seqs: 4",
        "fidelity: roofline", ""));
    Path out = dir.resolve("out");
    MainBadInputTest.Run r = MainBadInputTest.run("run", scenario.toString(), "--requests", "5", "--json", "--out",
        out.toString());
    assertEquals(0, r.status(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    for (String k : KEYS) {
      assertTrue(j.has(k), "missing " + k + " in " + r.out());
    }
    assertEquals(5, j.get("requests").asInt(), "the flag overrides the file");
    assertEquals(40, j.get("generated_tokens").asInt());
    assertEquals("roofline", j.get("fidelity").asText());
    assertTrue(Files.exists(out.resolve("results.json")) && Files.exists(out.resolve("requests.csv"))
        && Files.exists(out.resolve("iterations.csv")));
    assertEquals(6, Files.readAllLines(out.resolve("requests.csv")).size());
  }

  @Test
  void prefixCachingFromTheFileOrTheFlagReusesTheSharedPrefix(@TempDir Path dir) throws Exception {
    Path scenario = Files.writeString(dir.resolve("s.yaml"), String.join("\n", "system: gpu", "model: tinyllama-1.1b",
        "devices-per-node: 1", "requests: 6", "input-len: 32", "output-len: 4", "max-num-seqs: 1",
        "fidelity: roofline", "shared-prefix: 512:1", ""));
    JsonNode off = new ObjectMapper().readTree(MainBadInputTest.run("run", scenario.toString(), "--json").out());
    JsonNode flag = new ObjectMapper().readTree(
        MainBadInputTest.run("run", scenario.toString(), "--enable-prefix-caching", "--json").out());
    Path on = Files.writeString(dir.resolve("on.yaml"), Files.readString(scenario) + "enable-prefix-caching: true\n");
    JsonNode file = new ObjectMapper().readTree(MainBadInputTest.run("run", on.toString(), "--json").out());
    assertEquals(0.0, off.get("prefix_cache_hit_rate").asDouble());
    assertEquals(6 * 544, off.get("prefill_tokens_computed").asInt(), "each prompt is the 512 prefix + 32 tokens");
    // one request at a time (max-num-seqs 1, closed loop): the five after the first reuse 512 tokens each
    assertEquals(5 * 512.0 / (6 * 544), flag.get("prefix_cache_hit_rate").asDouble(), 1e-12);
    assertEquals(6 * 544 - 5 * 512, flag.get("prefill_tokens_computed").asInt());
    assertTrue(flag.get("ttft_p50_ms").asDouble() < off.get("ttft_p50_ms").asDouble());
    assertEquals(off.get("generated_tokens"), flag.get("generated_tokens"));
    assertEquals(flag.get("prefix_cache_hit_rate"), file.get("prefix_cache_hit_rate"));
    assertEquals(flag.get("sim_time_s"), file.get("sim_time_s"));
    assertTrue(MainBadInputTest.badInput("run", "--shared-prefix", "512").contains("shared-prefix must be LEN:COUNT"));
    assertTrue(MainBadInputTest.badInput("run", "--enable-prefix-caching", "maybe")
        .contains("enable-prefix-caching must be true or false"));
  }

  @Test
  void badScenariosAndFlagsAreInputErrors(@TempDir Path dir) throws Exception {
    Path unknownKey = Files.writeString(dir.resolve("bad.yaml"), "system: gpu\nbatch-size: 8\n");
    assertTrue(MainBadInputTest.badInput("run", unknownKey.toString()).contains("unknown key 'batch-size'"));
    assertTrue(MainBadInputTest.badInput("run", dir.resolve("missing.yaml").toString()).contains("does not exist"));
    assertTrue(MainBadInputTest.badInput("run", "--system", "tpu").contains("unknown 'tpu'"));
    assertTrue(MainBadInputTest.badInput("run", "--model", "gpt-9").contains("gpt-9"));
    assertTrue(MainBadInputTest.badInput("run", "--fidelity", "exact").contains("fidelity"));
    assertTrue(MainBadInputTest.badInput("run", "--requests", "0").contains("requests must be a positive integer"));
    assertTrue(MainBadInputTest.badInput("run", "--model", "deepseek-v3", "--system", "gpu")
        .contains("not yet supported"));
  }

  @Test
  void theProfileNamesTheStoreFileOfEachUnitsPrices(@TempDir Path dir) throws Exception {
    Path model = Path.of(RunCommandTest.class.getResource("/io/duplexsim/validation/run/mini-moe.json").toURI());
    Path store = dir.resolve("store");
    MainBadInputTest.Run r = MainBadInputTest.run("run", "--system", "duplex", "--model", model.toString(),
        "--devices-per-node", "1", "--requests", "2", "--input-len", "16", "--output-len", "4", "--fidelity", "memo",
        "--memo-store", store.toString(), "--profile", "--json");
    assertEquals(0, r.status(), r.err());
    for (String unit : List.of("xpu", "logic-pim", "system")) {
      String line = r.err().lines().filter(l -> l.startsWith("memo store (" + unit + "): ")).findFirst()
          .orElseThrow(() -> new AssertionError("no store line for " + unit + " in:\n" + r.err()));
      Path file = Path.of(line.substring(line.indexOf("): ") + 3));
      assertEquals(store, file.getParent());
      assertTrue(Files.exists(file) || unit.equals("system"), line);
    }
  }
}
