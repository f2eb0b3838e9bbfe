package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.standard.Standards;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Long random traces on every preset, policy and refresh mode: the checker finds nothing. */
class ProtocolCleanTest {
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    long seed = 100;
    for (String std : Standards.names()) {
      for (String policy : MemoryConfig.PAGE_POLICIES) {
        String refresh = MemoryConfig.REFRESH_MODES.get((int) (seed % 3));
        out.add(Arguments.of(std, policy, refresh, seed++));
      }
    }
    return out.stream();
  }

  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @ParameterizedTest(name = "{0} {1} {2} seed {3}")
  @MethodSource("cases")
  void randomTrafficHasNoProtocolViolations(String std, String policy, String refresh, long seed) {
    // Bank-PIM all-bank commands need all-bank refresh (the controller rejects them otherwise).
    boolean pim = seed % 2 == 1;
    RequestTrace t = pim ? TestTraces.allTypes(30000, seed) : TestTraces.random(60000, seed, 0.6, 1L << 30);
    MemoryResult r = MemorySimulation.run(MemoryConfig.builder(std).pagePolicy(policy)
        .refresh(pim && !refresh.equals("none") ? "all-bank" : refresh)
        .mapping(seed % 3 == 0 ? "RoBaRaCoCh-xor" : MemoryConfig.DEFAULT_MAPPING).check(true).build(), t);
    assertEquals(0, r.violations());
    assertEquals(t.size(), r.reads() + r.writes());
  }
}
