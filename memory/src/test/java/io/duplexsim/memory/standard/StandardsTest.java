package io.duplexsim.memory.standard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardsTest {
  @Test
  void hbm3At52HasThePapersTimingsAndPeak() {
    DramStandard s = Standards.load("HBM3-5.2");
    assertEquals(19, s.timing("nRCDRD"));
    assertEquals(4, s.timing("nCCDL"));
    assertEquals(39, s.timing("nFAW"));
    assertEquals(5070, s.timing("nREFI"));
    assertEquals(20.8, s.pseudoChannelPeakGBps(), 1e-9);
    assertEquals(665.6, s.stackPeakGBps(), 1e-9);
    assertEquals(16L << 30, s.org().bytesPerStack());
  }

  @Test
  void derivedPresetsKeepNanosecondsNotCycles() {
    DramStandard base = Standards.load("HBM3-5.2");
    DramStandard fast = Standards.load("HBM3-6.4");
    // tRCD = 19 x 0.769 ns = 14.6 ns -> 23.4 cycles at 0.625 ns -> 24.
    assertEquals(24, fast.timing("nRCDRD"));
    assertEquals((int) Math.ceil(base.timing("nRFC") * base.tCKns() / fast.tCKns() - 0.001), fast.timing("nRFC"));
    // Bus timings keep their cycles.
    assertEquals(base.timing("nCCDL"), fast.timing("nCCDL"));
    assertEquals(2, fast.timing("nBL"));
    assertEquals(819.2, fast.stackPeakGBps(), 1e-9);
    DramStandard hbm2e = Standards.load("HBM2E-3.2");
    assertEquals(2, hbm2e.beatsPerClock());
    assertEquals(409.6, hbm2e.stackPeakGBps(), 1e-9);
    assertEquals(3, Standards.load("HBM3E-8.0").org().ranks());
  }

  @Test
  void overridesApplyInCyclesOrNanoseconds() {
    assertEquals(25, Standards.load("HBM3-5.2", Map.of(), Map.of("nRCDRD", 25)).timing("nRCDRD"));
    // 15 ns at 0.769 ns -> 19.5 -> 20 cycles.
    assertEquals(20, Standards.load("HBM3-5.2", Map.of(), Map.of("tRCDRD", 15.0)).timing("nRCDRD"));
    assertEquals(8, Standards.load("HBM3-5.2", Map.of("banks", 8), Map.of()).org().banks());
  }

  @Test
  void impossibleOrganisationsAndTimingsAreInputErrors() {
    assertMessage(() -> Standards.load("HBM3-5.2", Map.of("banks", 0), Map.of()), "org.banks");
    assertMessage(() -> Standards.load("HBM3-5.2", Map.of("banks", 3), Map.of()), "bundlesPerRank");
    assertMessage(() -> Standards.load("HBM3-5.2", Map.of("lanes", 3), Map.of()), "org.lanes");
    assertMessage(() -> Standards.load("HBM3-5.2", Map.of(), Map.of("nRCDRD", -3)), "nRCDRD");
    assertMessage(() -> Standards.load("HBM3-5.2", Map.of(), Map.of("nRCDRD", 2.5)), "nRCDRD");
    assertMessage(() -> Standards.load("HBM3-5.2", Map.of(), Map.of("nFOO", 3)), "nFOO");
    assertMessage(() -> Standards.load("HBM3-5.2", Map.of(), Map.of("nBL", 4)), "nBL");
    assertMessage(() -> Standards.load("HBM9"), "unknown standard 'HBM9'");
  }

  @Test
  void latencyExpressionsEvaluateOverTimings() {
    assertEquals(19 + 2 + 2 - 6, Standards.evaluate("x", "nCL + nBL + 2 - nCWL", Map.of("nCL", 19, "nBL", 2, "nCWL", 6)));
    assertThrows(InputException.class, () -> Standards.evaluate("x", "nCL + nXX", Map.of("nCL", 19)));
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable e, String fragment) {
    InputException ex = assertThrows(InputException.class, e);
    assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
  }
}
