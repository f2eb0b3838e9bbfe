package io.duplexsim.validation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.workloads.serving.StageKind;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Disaggregated serving from a scenario: a two-layer MoE model on four devices, roofline. */
class DisaggregationTest {
  private static Map<String, String> values(String system) throws URISyntaxException {
    Path model = Path.of(DisaggregationTest.class.getResource("mini-moe.json").toURI());
    Map<String, String> v = Scenario.defaults();
    v.put("system", system);
    v.put("model", model.toString());
    v.put("devices-per-node", "4");
    v.put("requests", "6");
    v.put("max-num-seqs", "4");
    v.put("input-len", "40");
    v.put("output-len", "24");
    v.put("fidelity", "roofline");
    v.put("disaggregation", "true");
    return v;
  }

  @ParameterizedTest
  @CsvSource({"gpu", "duplex", "duplex-pe", "bank-pim"})
  void everySystemServesDisaggregatedAndSendsEachPromptsKvOnce(String system) throws Exception {
    ServingResult r = ScenarioRunner.run(Scenario.of(values(system)), WeightFormat.BF16);
    assertEquals(6, r.requests());
    assertEquals(6L * 24, r.generatedTokens());
    // mini-moe: 2 layers x (K and V) x 2 KV heads x 64 x 2 bytes = 1024 bytes per token; 6 prompts of 40
    assertEquals(6L * 40 * 1024, r.policyMetrics().get("kv_transfer_bytes"));
    assertEquals(2, r.policyMetrics().get("prefill_devices"));
    assertEquals(2, r.policyMetrics().get("decode_devices"));
    assertEquals(0L, (long) r.stages().getOrDefault(StageKind.MIXED, 0L), "no iteration mixes prefill and decode");
    assertTrue((double) r.policyMetrics().get("kv_transfer_time_p50_ms") > 0);
  }

  @Test
  void sameScenarioSameResult() throws Exception {
    assertEquals(ScenarioRunner.run(Scenario.of(values("duplex")), WeightFormat.BF16).toJson(),
        ScenarioRunner.run(Scenario.of(values("duplex")), WeightFormat.BF16).toJson());
  }

  /**
   * 3 nodes x 2 of a dense model: the prefill instance is node 0, the decode instance nodes 1 and 2 (KV over
   * InfiniBand).
   */
  @Test
  void anUnevenSplitOverNodesIsHonoured() throws Exception {
    Map<String, String> v = values("gpu");
    v.put("model", "tinyllama-1.1b");
    v.put("devices-per-node", "2");
    v.put("nodes", "3");
    v.put("prefill-devices", "2");
    ServingResult r = ScenarioRunner.run(Scenario.of(v), WeightFormat.BF16);
    assertEquals(2, r.policyMetrics().get("prefill_devices"));
    assertEquals(4, r.policyMetrics().get("decode_devices"));
    assertEquals(6L * 24, r.generatedTokens());
    // TinyLlama: 22 layers x (K and V) x 4 KV heads x 64 x 2 bytes = 22 KB per token, in two halves (one per
    // decode device of node 1) at InfiniBand's 50 GB/s
    assertEquals(6L * 40 * 22 * 1024, r.policyMetrics().get("kv_transfer_bytes"));
    assertTrue((double) r.policyMetrics().get("kv_transfer_time_p50_ms") * 1e6 > 40 * 11 * 1024 / 50.0);
  }

  @ParameterizedTest
  @CsvSource({"4, 3, 2, prefill-devices (3) + decode-devices (2)", "4, 0, 4, prefill-devices",
      "4, 4, 0, decode-devices", "4, auto, 4, prefill-devices", "4, 4, auto, decode-devices",
      "1, auto, auto, prefill-devices", "4, 3, 1, does not divide"})
  void aBadSplitNamesTheKey(String devices, String prefill, String decode, String expected) throws Exception {
    Map<String, String> v = values("gpu");
    v.put("devices-per-node", devices);
    v.put("prefill-devices", prefill);
    v.put("decode-devices", decode);
    InputException e = assertThrows(InputException.class, () -> ScenarioRunner.run(Scenario.of(v), WeightFormat.BF16));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
