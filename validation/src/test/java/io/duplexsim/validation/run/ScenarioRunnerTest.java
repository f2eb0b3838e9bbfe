package io.duplexsim.validation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.workloads.serving.ServingResult;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import io.duplexsim.units.exec.MemoOpModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small end-to-end serving runs: a two-layer MoE model on one device, every fidelity. */
class ScenarioRunnerTest {
  private static Scenario scenario(String system, String fidelity) throws URISyntaxException {
    Path model = Path.of(ScenarioRunnerTest.class.getResource("mini-moe.json").toURI());
    Map<String, String> v = Scenario.defaults();
    v.put("system", system);
    v.put("model", model.toString());
    v.put("devices-per-node", "1");
    v.put("requests", "6");
    v.put("max-num-seqs", "4");
    v.put("input-len", "40");
    v.put("output-len", "24");
    v.put("fidelity", fidelity);
    return Scenario.of(v);
  }

  @Test
  void memoStaysWithinTwoPercentOfCycle() throws Exception {
    ServingResult cycle = ScenarioRunner.run(scenario("duplex", "cycle"), WeightFormat.BF16);
    ServingResult memo = ScenarioRunner.run(scenario("duplex", "memo"), WeightFormat.BF16);
    assertEquals("cycle", cycle.fidelity());
    assertEquals("memo", memo.fidelity());
    assertEquals(cycle.generatedTokens(), memo.generatedTokens());
    double gap = Math.abs(memo.simTimeNs() - cycle.simTimeNs()) / cycle.simTimeNs();
    assertTrue(gap < 0.02, "memo " + memo.simTimeNs() + " vs cycle " + cycle.simTimeNs() + " ns: " + gap);
  }

  @Test
  void theRooflineIsFasterThanTheSimulationAndEveryRequestFinishes() throws Exception {
    ServingResult roof = ScenarioRunner.run(scenario("gpu", "roofline"), WeightFormat.BF16);
    ServingResult memo = ScenarioRunner.run(scenario("gpu", "memo"), WeightFormat.BF16);
    assertEquals(6, roof.requests());
    assertEquals(6L * 24, roof.generatedTokens());
    assertTrue(roof.simTimeNs() < memo.simTimeNs(), roof.simTimeNs() + " vs " + memo.simTimeNs());
    assertTrue(memo.energyPerTokenMj() > 0);
  }

  @Test
  void sameScenarioSameResult() throws Exception {
    assertEquals(ScenarioRunner.run(scenario("duplex", "roofline"), WeightFormat.BF16).toJson(),
        ScenarioRunner.run(scenario("duplex", "roofline"), WeightFormat.BF16).toJson());
  }

  @Test
  void aMemoStoreGivesTheSameResultsAndSimulatesNothingTheSecondTime(@TempDir Path dir) throws Exception {
    Scenario plain = scenario("duplex", "memo");
    Map<String, String> v = new java.util.HashMap<>(plain.values());
    v.put(ScenarioRunner.MEMO_STORE_KEY, dir.toString());
    Scenario stored = Scenario.of(v);
    long[] counts = new long[4];
    ServingResult first = ScenarioRunner.run(stored, WeightFormat.BF16, ops -> {
      counts[0] = ((MemoOpModel) ops).misses();
      counts[1] = ((MemoOpModel) ops).storedHits();
    });
    ServingResult second = ScenarioRunner.run(stored, WeightFormat.BF16, ops -> {
      counts[2] = ((MemoOpModel) ops).misses();
      counts[3] = ((MemoOpModel) ops).storedHits();
    });
    assertTrue(counts[0] > 0 && counts[1] == 0, java.util.Arrays.toString(counts));
    assertEquals(0, counts[2], "every shape comes from the store");
    assertEquals(counts[0], counts[3]);
    assertEquals(ScenarioRunner.run(plain, WeightFormat.BF16).toJson(), first.toJson());
    assertEquals(first.toJson(), second.toJson());
  }

  @Test
  void runsOnTheSameHardwareInOneProcessShareWhatTheySimulate() throws Exception {
    Scenario s = scenario("gpu", "memo");
    long[] second = new long[2];
    ServingResult a = ScenarioRunner.run(s, WeightFormat.BF16);
    ServingResult b = ScenarioRunner.run(s, WeightFormat.BF16, ops -> {
      second[0] = ((MemoOpModel) ops).misses();
      second[1] = ((MemoOpModel) ops).storedHits();
    });
    assertEquals(0, second[0], "the first run simulated every shape the second needs");
    assertTrue(second[1] > 0);
    assertEquals(a.toJson(), b.toJson());
  }
}
