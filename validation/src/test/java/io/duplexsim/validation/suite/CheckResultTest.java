package io.duplexsim.validation.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CheckResultTest {
  @Test
  void passesOnlyWithinTheRelativeTolerance() {
    CheckResult inside = new CheckResult("s", "c", "Fig. 1", 2.0, 2.4, 0.25, "");
    CheckResult outside = new CheckResult("s", "c", "Fig. 1", 2.0, 2.6, 0.25, "");
    assertEquals(0.2, inside.relError(), 1e-12);
    assertTrue(inside.pass());
    assertEquals(0.3, outside.relError(), 1e-12);
    assertFalse(outside.pass());
  }

  @Test
  void aClaimPassesOnlyWhenItHolds() {
    assertTrue(CheckResult.claim("s", "c", "Fig. 5", true, "").pass());
    CheckResult broken = CheckResult.claim("s", "c", "Fig. 5", false, "");
    assertFalse(broken.pass());
    assertEquals(1.0, broken.relError());
  }

  @Test
  void aMissingSimulationNeverPasses() {
    CheckResult missing = new CheckResult("s", "c", "Fig. 1", 2.0, Double.NaN, 10, "");
    assertFalse(missing.pass());
    assertEquals("s,c,2.00000,NaN,NaN,10.0000,false", missing.csvRow());
  }
}
