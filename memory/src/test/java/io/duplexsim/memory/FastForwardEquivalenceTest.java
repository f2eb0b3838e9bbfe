package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.RequestType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fast-forward is exact: every command (cycle, address) and every reported number is identical with
 * it on and off, on traces that exercise idle gaps, refresh, write drain, page policies and PIM
 * commands.
 */
class FastForwardEquivalenceTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("stream", MemoryConfig.builder("HBM3-5.2").build(), TestTraces.stream(20000, RequestType.READ, 32)),
        Arguments.of("random-mix", MemoryConfig.builder("HBM3-5.2").build(), TestTraces.random(20000, 7, 0.67, 1L << 30)),
        Arguments.of("timed-sparse", MemoryConfig.builder("HBM3-5.2").refresh("per-bank").build(),
            TestTraces.timedRandom(3000, 3, 40)),
        Arguments.of("closed-page", MemoryConfig.builder("HBM3-6.4").pagePolicy("closed").build(),
            TestTraces.random(10000, 11, 0.5, 1L << 26)),
        Arguments.of("adaptive-same-bank", MemoryConfig.builder("HBM3E-8.0").pagePolicy("adaptive")
            .refresh("same-bank").build(), TestTraces.timedRandom(4000, 5, 8)),
        Arguments.of("row-hit-cap", MemoryConfig.builder("HBM3-5.2").rowHitCap(2).build(),
            TestTraces.random(20000, 14, 0.67, 1L << 22)),
        Arguments.of("pim-mix", MemoryConfig.builder("HBM2E-3.2").build(), TestTraces.allTypes(8000, 9)));
  }

  private record Cmd(long cycle, int pc, int cmd, int rank, int group, int bank, int row, int col) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resultsAreIdenticalWithAndWithoutFastForward(String name, MemoryConfig config, RequestTrace trace) {
    List<Cmd> on = new ArrayList<>();
    List<Cmd> off = new ArrayList<>();
    MemoryResult a = MemorySimulation.run(config.toBuilder().fastForward(true).check(true).build(), trace,
        (c, pc, cmd, r, g, b, row, col) -> on.add(new Cmd(c, pc, cmd, r, g, b, row, col)));
    MemoryResult b = MemorySimulation.run(config.toBuilder().fastForward(false).check(true).build(), trace,
        (c, pc, cmd, r, g, bk, row, col) -> off.add(new Cmd(c, pc, cmd, r, g, bk, row, col)));
    assertEquals(on.size(), off.size());
    assertEquals(on, off);
    assertEquals(simulated(a), simulated(b));
    assertEquals(0, a.violations());
    assertTrue(a.componentTicks() < b.componentTicks(), "fast-forward should skip idle cycles");
  }

  /** Everything but wall-clock figures and the fast-forward flag itself. */
  private static Map<String, Object> simulated(MemoryResult r) {
    return TestResults.simulated(r, "fast_forward");
  }
}
