package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.sim.InputException;
import org.junit.jupiter.api.Test;

/** Bank-PIM all-bank requests cannot live with per-bank refresh; the user is told so. */
class RefreshCompatibilityTest {
  @Test
  void allBankRequestsUnderPerBankRefreshAreAnInputError() {
    RequestTrace t = new RequestTrace("pim");
    t.add(0, RequestType.ALLBANK_READ);
    InputException e = assertThrows(InputException.class,
        () -> MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").refresh("per-bank").build(), t));
    assertTrue(e.getMessage().contains("refresh all-bank"), e.getMessage());
  }

  @Test
  void perBankRefreshStillServesBundleRequests() {
    MemoryResult r = MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").refresh("per-bank").check(true).build(),
        TestTraces.stream(20000, RequestType.BUNDLE_READ, 256));
    assertTrue(r.reads() == 20000 && r.violations() == 0);
  }
}
