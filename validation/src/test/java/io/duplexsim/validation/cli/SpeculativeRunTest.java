package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.duplexsim.validation.run.Scenario;
import io.duplexsim.workloads.serving.speculative.SpeculativeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code duplexsim run} with speculative decoding: keys from the file or flags, metrics, bad input. */
class SpeculativeRunTest {
  private static final List<String> KEYS = List.of("speculative_model", "spec_controller", "spec_proposed_tokens",
      "spec_accepted_tokens", "acceptance_rate", "per_token_acceptance", "mean_k", "goodput_tokens_per_s",
      "draft_time_share", "spec_k_series");

  @Test
  void aDraftModelOnTheSameGpuTakesKvCapacityAndCutsLatencyAtLowLoad(@TempDir Path dir) throws Exception {
    Path scenario = Files.writeString(dir.resolve("s.yaml"), String.join("\n", "system: gpu", "model: llama-3-8b",
        "devices-per-node: 1", "requests: 2", "input-len: 32", "output-len: 12", "max-num-seqs: 1",
        "fidelity: roofline", "speculative-model: llama-3.2-1b", "num-speculative-tokens: 4",
        "spec-acceptance-rate: 0.9", ""));
    ObjectMapper json = new ObjectMapper();
    JsonNode spec = json.readTree(MainBadInputTest.run("run", scenario.toString(), "--json").out());
    JsonNode none = json.readTree(
        MainBadInputTest.run("run", scenario.toString(), "--speculative-model", "none", "--json").out());
    for (String k : KEYS) {
      assertTrue(spec.has(k), "missing " + k);
      assertTrue(!none.has(k), "speculation off prints no " + k);
    }
    assertEquals("llama-3.2-1b", spec.get("speculative_model").asText());
    assertEquals(24, spec.get("generated_tokens").asInt());
    assertTrue(spec.get("kv_capacity_blocks").asLong() < none.get("kv_capacity_blocks").asLong());
    assertTrue(spec.get("e2e_p50_ms").asDouble() < none.get("e2e_p50_ms").asDouble());
    assertTrue(spec.get("draft_time_share").asDouble() > 0);
    JsonNode lookup = json.readTree(MainBadInputTest.run("run", scenario.toString(), "--speculative-model",
        "[ngram]", "--spec-controller", "smartspec", "--json").out());
    assertEquals("[ngram]", lookup.get("speculative_model").asText());
    assertEquals("smartspec", lookup.get("spec_controller").asText());
    assertEquals(0.0, lookup.get("draft_time_share").asDouble());
    assertEquals(none.get("kv_capacity_blocks"), lookup.get("kv_capacity_blocks"), "prompt lookup holds no draft");
  }

  @ParameterizedTest
  @CsvSource({"none, none", "fixed-k, llama-3.2-1b", "smartspec, llama-3.2-1b", "prompt-lookup, [ngram]"})
  void theBundledScenariosReadAsTheirNamesSay(String variant, String proposer) {
    Map<String, String> v = Scenario.defaults();
    v.putAll(Scenario.readFile(Path.of("../scenarios/policies/llama3-8b-speculative-" + variant + ".yaml")));
    Scenario s = Scenario.of(v);
    SpeculativeConfig c = SpeculativeConfig.parse(s.text(SpeculativeConfig.MODEL_KEY),
        s.text(SpeculativeConfig.TOKENS_KEY), s.text(SpeculativeConfig.RATE_KEY),
        s.text(SpeculativeConfig.CONTROLLER_KEY));
    assertEquals(proposer, c.proposerName());
    assertEquals("llama-3-8b", s.model());
  }

  @Test
  void impossibleSpeculationIsAnInputError() {
    String[] base = {"run", "--system", "gpu", "--model", "llama-3-8b", "--devices-per-node", "1", "--requests", "1"};
    assertTrue(bad(base, "--speculative-model", "llama-3.2-1b", "--num-speculative-tokens", "4",
        "--spec-acceptance-rate", "1.5").contains("spec-acceptance-rate must be in [0, 1]"));
    assertTrue(bad(base, "--speculative-model", "llama-3.2-1b", "--num-speculative-tokens", "9",
        "--spec-acceptance-rate", "0.5").contains("num-speculative-tokens must be an integer in [0, 8]"));
    assertTrue(bad(base, "--speculative-model", "llama-3.2-1b", "--spec-acceptance-rate", "0.5")
        .contains("num-speculative-tokens is required"));
    assertTrue(bad(base, "--speculative-model", "llama-3-70b", "--num-speculative-tokens", "4",
        "--spec-acceptance-rate", "0.5").contains("speculative-model: draft model llama-3-70b does not fit"));
    assertTrue(bad(base, "--speculative-model", "tinyllama-1.1b", "--num-speculative-tokens", "4",
        "--spec-acceptance-rate", "0.5").contains("speculative-model: draft model tinyllama-1.1b has a vocabulary"));
    assertTrue(bad(base, "--speculative-model", "gpt-9", "--num-speculative-tokens", "4",
        "--spec-acceptance-rate", "0.5").contains("speculative-model: unknown model 'gpt-9'"));
    assertTrue(bad(base, "--speculative-model", "[ngram]", "--num-speculative-tokens", "4",
        "--spec-acceptance-rate", "0.5", "--spec-controller", "greedy").contains("spec-controller must be"));
  }

  private static String bad(String[] base, String... more) {
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return MainBadInputTest.badInput(args);
  }
}
