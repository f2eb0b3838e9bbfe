package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.check.ProtocolChecker;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Standards;
import org.junit.jupiter.api.Test;

/**
 * The checker is independent of the controller: a controller built from a subtly wrong standard
 * (tRCD one cycle short, tFAW ignored) produces a command stream the checker, holding the real
 * standard, rejects.
 */
class InjectedViolationTest {
  @Test
  void checkerCatchesAControllerThatIssuesReadsOneCycleEarly() {
    DramStandard real = Standards.load("HBM3-5.2");
    ProtocolChecker checker = new ProtocolChecker(real, real.org().pseudoChannelsPerStack());
    MemoryConfig broken = MemoryConfig.builder("HBM3-5.2").refresh("none")
        .timingOverride("nRCDRD", real.timing("nRCDRD") - 1).build();
    MemorySimulation.run(broken, TestTraces.stream(2000, RequestType.READ, 32), checker);
    assertTrue(checker.violations() > 0);
    assertTrue(checker.firstViolations().get(0).contains("nRCDRD"), checker.firstViolations().get(0));
  }

  @Test
  void checkerCatchesIgnoredFourActivationWindow() {
    DramStandard real = Standards.load("HBM3-5.2");
    ProtocolChecker checker = new ProtocolChecker(real, real.org().pseudoChannelsPerStack());
    MemoryConfig broken = MemoryConfig.builder("HBM3-5.2").refresh("none").timingOverride("nFAW", 0).build();
    MemorySimulation.run(broken, TestTraces.random(20000, 4, 1.0, 1L << 30), checker);
    assertTrue(checker.violations() > 0);
  }

  @Test
  void theSameRunWithTheRealStandardIsClean() {
    DramStandard real = Standards.load("HBM3-5.2");
    ProtocolChecker checker = new ProtocolChecker(real, real.org().pseudoChannelsPerStack());
    MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").refresh("none").build(),
        TestTraces.random(20000, 4, 1.0, 1L << 30), checker);
    assertEquals(0, checker.violations());
  }
}
