package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.frontend.SyntheticPattern;
import io.duplexsim.memory.frontend.SyntheticPattern.PatternParams;
import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Running the pseudo-channels in lanes on several threads is exact: every command (cycle, address)
 * and every simulated figure equals the one-thread run's, on traces where the in-order injection
 * couples the lanes tightly (full queues, bursts), sparsely (issue cycles), across stacks, with
 * refresh of every kind, page policies, write drain and PIM commands.
 */
class LaneEquivalenceTest {
  static Stream<Arguments> cases() {
    PatternParams p = PatternParams.defaults();
    MemoryConfig hbm3 = MemoryConfig.builder("HBM3-5.2").build();
    return Stream.of(
        Arguments.of("stream", hbm3, TestTraces.stream(20000, RequestType.READ, 32), 2),
        Arguments.of("random-mix", hbm3, TestTraces.random(20000, 7, 0.67, 1L << 30), 2),
        Arguments.of("random-mix-3-lanes", hbm3, TestTraces.random(20000, 8, 0.67, 1L << 30), 3),
        Arguments.of("mix-pattern-small-queues", hbm3.toBuilder().readQueueSize(4).writeQueueSize(4).build(),
            SyntheticPattern.MIX.generate(20000, 3, p.withReadFraction(2.0 / 3.0)), 2),
        Arguments.of("timed-sparse-per-bank", MemoryConfig.builder("HBM3-5.2").refresh("per-bank").build(),
            TestTraces.timedRandom(3000, 3, 40), 2),
        Arguments.of("timed-dense-4-lanes", hbm3, TestTraces.timedRandom(8000, 4, 1), 4),
        Arguments.of("closed-page", MemoryConfig.builder("HBM3-6.4").pagePolicy("closed").build(),
            TestTraces.random(10000, 11, 0.5, 1L << 26), 2),
        Arguments.of("adaptive-same-bank", MemoryConfig.builder("HBM3E-8.0").pagePolicy("adaptive").refresh("same-bank")
            .build(), TestTraces.timedRandom(4000, 5, 8), 2),
        Arguments.of("two-stacks-xor", MemoryConfig.builder("HBM3-5.2").stacks(2).mapping("RoBaRaCoCh-xor").build(),
            TestTraces.random(20000, 12, 0.8, 1L << 31), 2),
        Arguments.of("pim-mix", MemoryConfig.builder("HBM2E-3.2").build(), TestTraces.allTypes(8000, 9), 2),
        Arguments.of("row-hit-cap", hbm3.toBuilder().rowHitCap(2).build(), TestTraces.random(20000, 14, 0.67, 1L << 22), 2),
        Arguments.of("every-cycle", MemoryConfig.builder("HBM3-5.2").fastForward(false).build(),
            TestTraces.random(3000, 13, 0.67, 1L << 30), 2));
  }

  private record Cmd(long cycle, int pc, int cmd, int rank, int group, int bank, int row, int col) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void lanesGiveTheOneThreadRunsCommandsAndFigures(String name, MemoryConfig config, RequestTrace trace, int threads) {
    MemoryConfig checked = config.toBuilder().check(true).build();
    List<Cmd> one = new ArrayList<>();
    List<Cmd> lanes = new ArrayList<>();
    MemoryResult a = MemorySimulation.run(checked, trace, (c, pc, cmd, r, g, b, row, col) -> one.add(
        new Cmd(c, pc, cmd, r, g, b, row, col)), 1);
    MemoryResult b = MemorySimulation.run(checked, trace, (c, pc, cmd, r, g, bk, row, col) -> lanes.add(
        new Cmd(c, pc, cmd, r, g, bk, row, col)), threads);
    assertEquals(threads, b.threads(), "the run should have used its lanes");
    assertEquals(one.size(), lanes.size());
    assertEquals(one, lanes);
    assertEquals(simulated(a), simulated(b));
    assertEquals(a.perPseudoChannel(), b.perPseudoChannel());
    assertEquals(0, b.violations());
  }

  @Test
  void aTraceOfOneLanesPseudoChannelsRunsOnOneThreadWithTheSameFigures() {
    // an 8 KiB stride reaches one pseudo-channel: a second lane would only wait
    RequestTrace trace = SyntheticPattern.STRIDED.generate(5000, 1, PatternParams.defaults().withStrideBytes(8192));
    MemoryConfig config = MemoryConfig.builder("HBM3-5.2").build();
    MemoryResult lanes = MemorySimulation.run(config, trace, 2);
    assertEquals(1, lanes.threads());
    assertEquals(simulated(MemorySimulation.run(config, trace)), simulated(lanes));
  }

  @Test
  void aBadRequestInALaneIsReportedAsInTheOneThreadRun() {
    // all-bank PIM commands cannot run with per-bank refresh: the lane owning the request says so
    RequestTrace trace = new RequestTrace("bad");
    for (int i = 0; i < 4000; i++) {
      trace.add((long) i * 32, i == 3000 ? RequestType.ALLBANK_READ : RequestType.READ);
    }
    MemoryConfig config = MemoryConfig.builder("HBM3-5.2").refresh("per-bank").build();
    InputException one = assertThrows(InputException.class, () -> MemorySimulation.run(config, trace));
    InputException lanes = assertThrows(InputException.class, () -> MemorySimulation.run(config, trace, 2));
    assertEquals(one.getMessage(), lanes.getMessage());
  }

  @Test
  void threadsBelowOneAreAnInputError() {
    InputException e = assertThrows(InputException.class,
        () -> MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").build(), TestTraces.stream(10, RequestType.READ, 32),
            0));
    assertEquals("threads must be at least 1, got 0", e.getMessage());
  }

  /** Everything but wall-clock figures, component ticks and the threads. */
  private static Map<String, Object> simulated(MemoryResult r) {
    return TestResults.simulated(r, "threads");
  }
}
