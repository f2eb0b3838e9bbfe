package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.SyntheticPattern;
import io.duplexsim.memory.frontend.SyntheticPattern.PatternParams;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact results of seeded runs, recorded from the controller before its speed work (2026-11-26):
 * cycles, command counts, row outcomes, latencies, energy and a digest of every command issued.
 * Optimisations must leave them unchanged; a deliberate change of the model updates them here.
 */
class PinnedResultsTest {
  static Stream<Arguments> cases() {
    PatternParams d = PatternParams.defaults();
    MemoryConfig hbm3 = MemoryConfig.builder("HBM3-5.2").build();
    return Stream.of(
        Arguments.of("stream", hbm3,
            SyntheticPattern.STREAM.generate(20_000, 1, d),
            "cycles=1288 commands={ACT=640, RD=20000}"
                + " hits/misses/conflicts=19360/640/0"
                + " readLatencyNs(avg,p99,max)=64.10338461538463,69.23076923076924,78.46153846153847"
                + " energyPj=1.839936E7 digest=c6e87d159daa17c5"),
        Arguments.of("random", hbm3,
            SyntheticPattern.RANDOM.generate(20_000, 1, d),
            "cycles=3606 commands={ACT=19976, PRE=18952, RD=20000}"
                + " hits/misses/conflicts=24/1025/18951"
                + " readLatencyNs(avg,p99,max)=92.29976923076923,230.76923076923077,452.3076923076923"
                + " energyPj=3.5975784E7 digest=b96252621bdcc78a"),
        Arguments.of("mix-2:1", hbm3,
            SyntheticPattern.MIX.generate(20_000, 1, d.withReadFraction(2.0 / 3.0)),
            "cycles=4271 commands={ACT=20658, PRE=19634, RD=13386, WR=6614}"
                + " hits/misses/conflicts=19/1600/18381"
                + " readLatencyNs(avg,p99,max)=119.37989173533772,324.61538461538464,560.0"
                + " energyPj=3.6595722E7 digest=d394c671f026abb8"),
        Arguments.of("stride-8KiB", hbm3,
            SyntheticPattern.STRIDED.generate(20_000, 1, d.withStrideBytes(8192)),
            "cycles=59068 commands={ACT=1281, PRE=1190, PREA=11, RD=20000, REFab=352}"
                + " hits/misses/conflicts=18734/76/1190"
                + " readLatencyNs(avg,p99,max)=88.00223076923078,583.0769230769231,621.5384615384615"
                + " energyPj=3.9459981E7 digest=84fbe0bdfcbb9a5f"),
        Arguments.of("closed-per-bank",
            MemoryConfig.builder("HBM3-5.2").pagePolicy("closed").refresh("per-bank").build(),
            SyntheticPattern.MIX.generate(20_000, 2, d),
            "cycles=4642 commands={ACT=20702, PRE=723, RD=13, WR=6, RDA=13317, WRA=6664, REFpb=928}"
                + " hits/misses/conflicts=10/19295/695"
                + " readLatencyNs(avg,p99,max)=114.42668359397543,400.0,625.3846153846155"
                + " energyPj=3.8322822E7 digest=6ae5ed1f76e396f2"),
        Arguments.of("adaptive-same-bank",
            MemoryConfig.builder("HBM3E-8.0").pagePolicy("adaptive").refresh("same-bank").build(),
            TestTraces.timedRandom(5_000, 5, 3),
            "cycles=15548 commands={ACT=5008, PRE=5006, RD=3344, WR=1656, REFsb=736}"
                + " hits/misses/conflicts=0/4885/115"
                + " readLatencyNs(avg,p99,max)=36.792015550239235,194.5,246.5"
                + " energyPj=1.703496E7 digest=99e0542c8189ecc6"),
        // Re-pinned when the xPU path and the near-memory units got queues of their own (two
        // requesters, one command scheduler): mixed traces admit more requests at once. Re-pinned
        // (2026-11-27) when a requester's writes began to drain once it has no reads of its own,
        // whatever the other requester has queued; and (2026-11-27, eleventh session) when each
        // requester got a write mode of its own and the turnarounds between the pins' and the wide
        // TSVs' data paths became per rank.
        Arguments.of("pim-mix", hbm3,
            TestTraces.allTypes(8_000, 9),
            "cycles=3447 commands={ACT=1264, PRE=712, PREA=638, RD=1343, WR=1376, ALL-ACT=1173, ALL-PRE=1260,"
                + " ALL-RD=1299, ALL-WR=1326, BG-RD=1359, ACTAB=483, MACAB=1297}"
                + " hits/misses/conflicts=5129/823/2048"
                + " readLatencyNs(avg,p99,max)=194.70554926387317,857.6923076923077,1630.769230769231"
                + " energyPj=5.1096728E7 digest=bcf04a1813dee58b"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resultsAreUnchanged(String name, MemoryConfig config, RequestTrace trace, String expected) {
    assertEquals(expected, fingerprint(config, trace));
  }

  /** The simulated figures of one run, with a digest (FNV-1a style) of every command and its address. */
  static String fingerprint(MemoryConfig config, RequestTrace trace) {
    long[] h = {0xcbf29ce484222325L};
    MemoryResult r = MemorySimulation.run(config, trace, (c, pc, cmd, rank, g, b, row, col) -> {
      for (long v : new long[] {c, pc, cmd, rank, g, b, row, col}) {
        h[0] = (h[0] ^ v) * 0x100000001b3L;
      }
    });
    return "cycles=" + r.cycles() + " commands=" + r.commandCounts() + " hits/misses/conflicts=" + r.rowHits() + "/"
        + r.rowMisses() + "/" + r.rowConflicts() + " readLatencyNs(avg,p99,max)=" + r.avgReadLatencyNs() + ","
        + r.p99ReadLatencyNs() + "," + r.maxReadLatencyNs() + " energyPj=" + r.energyPj() + " digest="
        + Long.toHexString(h[0]);
  }
}
