package io.duplexsim.validation.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.validation.run.Scenario;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoliciesSuiteTest {
  @Test
  void runsComeFromTheBundledScenariosWithTheirOverrides() {
    Map<String, Scenario> runs = new PoliciesSuite("roofline").runs();
    Scenario full = runs.get("kvshare/full/qps20");
    assertEquals("llama-3-8b", full.model());
    assertEquals("poisson:20", full.arrival());
    assertEquals("false", full.text("kvshare"));
    assertEquals("true", runs.get("kvshare/on/qps20").text("kvshare"));
    assertEquals("false", runs.get("kvshare/fcfs/qps5").text("kvshare-cache-aware-scheduler"));
    assertEquals(400, runs.get("kvshare/on/closed").requests());
    assertTrue(runs.values().stream().allMatch(s -> s.fidelity().equals("roofline")));
    assertEquals("true", runs.get("cachecraft/70b/cache-craft").text("cache-craft"));
    assertEquals("true", runs.get("cachecraft/8b/prefix-caching").text("enable-prefix-caching"));
    assertEquals("false", runs.get("cachecraft/8b/full-recompute").text("cache-craft"));
    assertEquals("llama-3-70b", runs.get("cachecraft/70b/full-recompute").model());
  }
}
