package io.duplexsim.validation.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.validation.run.Scenario;
import io.duplexsim.workloads.serving.ServingResult;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DuplexMicro24SuiteTest {
  @Test
  void gridIsThePapersFig11Grid() {
    Map<String, Scenario> runs = new DuplexMicro24Suite("roofline").runs();
    assertEquals(3 * 3 * 3 * 5, runs.size());
    Scenario grok = runs.get("grok-1/duplex-pe-et/b128/l4096");
    assertEquals(8, grok.devicesPerNode());
    assertEquals(2, grok.nodes());
    assertEquals(128, grok.requests());
    assertEquals("gaussian:4096,409", grok.inputLen());
    Scenario glam = runs.get("glam/2gpu/b64/l2048");
    assertEquals(8, glam.devicesPerNode());
    assertEquals(64, glam.maxNumSeqs());
    assertTrue(runs.values().stream().allMatch(s -> s.fidelity().equals("roofline")));
  }

  @Test
  void checksAreComputedFromTheRunsAndFailWhereRunsAreMissing() {
    // one small Mixtral point: enough to compute the throughput and energy checks, not GLaM's latency
    DuplexMicro24Suite suite = new DuplexMicro24Suite("roofline",
        List.of(new DuplexMicro24Suite.Setup("mixtral-8x7b", 4, 1, new int[] {48})), new int[] {8},
        new OpChecks("roofline"));
    Map<String, Scenario> runs = suite.runs();
    assertEquals(5, runs.size());
    Map<String, ServingResult> results = SuiteRunner.run(runs, 1, io.duplexsim.validation.experiment.RunListener.NONE);
    Map<String, CheckResult> checks = suite.evaluate(results).stream()
        .collect(Collectors.toMap(CheckResult::check, Function.identity()));

    double gpu = results.get("mixtral-8x7b/gpu/b8/l48").throughputTokensPerS();
    double peEt = results.get("mixtral-8x7b/duplex-pe-et/b8/l48").throughputTokensPerS();
    assertEquals(peEt / gpu, checks.get("fig11.pe-et-vs-gpu.max").simulated(), 1e-12);
    assertEquals(peEt / gpu, checks.get("fig11.pe-et-vs-gpu.mean").simulated(), 1e-12);
    double eGpu = results.get("mixtral-8x7b/gpu/b8/l48").energyPerTokenMj();
    double eDuplex = results.get("mixtral-8x7b/duplex-pe-et/b8/l48").energyPerTokenMj();
    assertEquals(1 - eDuplex / eGpu, checks.get("fig15.savings.mixtral-8x7b.max").simulated(), 1e-12);
    // GLaM's latency runs are not in this reduced grid: reported, never passed
    assertTrue(Double.isNaN(checks.get("fig12.e2e-reduction-vs-gpu.mean").simulated()));
    assertFalse(checks.get("fig12.e2e-reduction-vs-gpu.mean").pass());
    assertFalse(checks.get("fig12.tbt-p50-below-2gpu").pass());
    // the analytic units: Bank-PIM's 16x bandwidth wins at Op/B 1, Logic-PIM's compute at 32
    assertTrue(checks.get("fig8.best-at-opb-1").pass(), checks.get("fig8.best-at-opb-1").note());
    assertTrue(checks.get("fig8.best-at-opb-32").pass(), checks.get("fig8.best-at-opb-32").note());
  }
}
