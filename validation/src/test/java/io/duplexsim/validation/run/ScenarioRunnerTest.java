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

  /** The scenario with {@code key} set to {@code value}. */
  private static Scenario with(Scenario s, String key, String value) {
    Map<String, String> v = new java.util.HashMap<>(s.values());
    v.put(key, value);
    return Scenario.of(v);
  }

  /** The shapes a run simulated, per kind and unit ("Gemm@xpu"; composed attention not counted). */
  private static Map<String, Double> simulated(Scenario s) throws Exception {
    Map<String, Double> out = new java.util.TreeMap<>();
    ScenarioRunner.run(s, WeightFormat.BF16, ops -> ((MemoOpModel) ops).simulatedShapes().forEach((k, v) -> {
      if (!k.endsWith("(composed)")) {
        out.put(k, v[0]);
      }
    }));
    return out;
  }

  @Test
  void aSweepOfLogicPimsParametersSimulatesNoXpuShapeTwiceAndGetsTheSameResults(@TempDir Path dir)
      throws Exception {
    Scenario base = with(scenario("duplex", "memo"), ScenarioRunner.MEMO_STORE_KEY, dir.resolve("a").toString());
    Map<String, Double> first = simulated(base);
    assertTrue(first.keySet().stream().anyMatch(k -> k.endsWith("@xpu")), first.toString());
    Scenario morePim = with(base, "device-overrides", "pim.macs=256");
    Map<String, Double> second = simulated(morePim);
    assertTrue(second.keySet().stream().noneMatch(k -> k.endsWith("@xpu")), "xPU shapes simulated again: " + second);
    assertTrue(second.keySet().stream().anyMatch(k -> k.endsWith("@logic-pim")), second.toString());
    // the prices found are the ones the changed hardware computes on its own
    Scenario alone = with(morePim, ScenarioRunner.MEMO_STORE_KEY, dir.resolve("b").toString());
    assertEquals(ScenarioRunner.run(alone, WeightFormat.BF16).toJson(),
        ScenarioRunner.run(morePim, WeightFormat.BF16).toJson());
    // and a change to the xPU simulates its shapes again
    Map<String, Double> fewerSms = simulated(with(base, "device-overrides", "xpu.sms=66"));
    assertEquals(first.get("Gemm@xpu"), fewerSms.get("Gemm@xpu"));
  }

  @Test
  void aGpuAndABankPimDeviceWithTheSameXpuAndMemoryShareTheirXpuShapesButNotDuplexWhoseDataSitInOneRank(
      @TempDir Path dir) throws Exception {
    Map<String, Double> bankPimAlone = simulated(
        with(scenario("bank-pim", "memo"), ScenarioRunner.MEMO_STORE_KEY, dir.resolve("a").toString()));
    simulated(with(scenario("gpu", "memo"), ScenarioRunner.MEMO_STORE_KEY, dir.resolve("b").toString()));
    Map<String, Double> bankPimAfterGpu = simulated(
        with(scenario("bank-pim", "memo"), ScenarioRunner.MEMO_STORE_KEY, dir.resolve("b").toString()));
    double alone = bankPimAlone.getOrDefault("Gemm@xpu", 0.0);
    double after = bankPimAfterGpu.getOrDefault("Gemm@xpu", 0.0);
    assertTrue(alone > 0 && after < alone, "xPU GEMMs simulated: alone " + alone + ", after the GPU run " + after);
    // Duplex's bundle spaces put an op's data in one rank: the GPU's prices (all banks) are not its own
    Map<String, Double> duplexAlone = simulated(
        with(scenario("duplex", "memo"), ScenarioRunner.MEMO_STORE_KEY, dir.resolve("c").toString()));
    Map<String, Double> duplexAfterGpu = simulated(
        with(scenario("duplex", "memo"), ScenarioRunner.MEMO_STORE_KEY, dir.resolve("b").toString()));
    assertTrue(duplexAlone.getOrDefault("Gemm@xpu", 0.0) > 0, duplexAlone.toString());
    assertEquals(duplexAlone.get("Gemm@xpu"), duplexAfterGpu.get("Gemm@xpu"));
  }

  @Test
  void anotherBlockSizeAndACycleRunReuseWhatAMemoRunSimulated(@TempDir Path dir) throws Exception {
    Scenario memo16 = with(scenario("duplex", "memo"), ScenarioRunner.MEMO_STORE_KEY, dir.resolve("a").toString());
    assertTrue(simulated(memo16).containsKey("Gemm@xpu"));
    // memo's GEMM buckets do not depend on the KV block size: the second block size simulates none again
    Scenario memo32 = with(memo16, "block-size", "32");
    Map<String, Double> second = simulated(memo32);
    assertTrue(!second.containsKey("Gemm@xpu"), "xPU GEMMs simulated again: " + second);
    assertEquals(ScenarioRunner.run(with(memo32, ScenarioRunner.MEMO_STORE_KEY, dir.resolve("b").toString()),
        WeightFormat.BF16).toJson(), ScenarioRunner.run(memo32, WeightFormat.BF16).toJson());
    // a cycle-level run finds the shapes memo priced exactly (its small GEMMs, bucket ends it meets)
    Scenario cycle = with(memo16, "fidelity", "cycle");
    long[] found = new long[1];
    ServingResult cycled = ScenarioRunner.run(cycle, WeightFormat.BF16,
        ops -> found[0] = ((MemoOpModel) ops).storedHits());
    assertTrue(found[0] > 0, "prices found in the store: " + found[0]);
    assertEquals(ScenarioRunner.run(with(cycle, ScenarioRunner.MEMO_STORE_KEY, dir.resolve("c").toString()),
        WeightFormat.BF16).toJson(), cycled.toJson());
  }
}
