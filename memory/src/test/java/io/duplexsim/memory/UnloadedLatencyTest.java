package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Standards;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A lone request's latency equals the formula from the standard's timings. */
class UnloadedLatencyTest {
  static java.util.List<String> standards() {
    return Standards.names();
  }

  private static MemoryResult runOne(String standard, RequestTrace t) {
    return MemorySimulation.run(MemoryConfig.builder(standard).refresh("none").check(true).build(), t);
  }

  @ParameterizedTest
  @MethodSource("standards")
  void closedBankReadTakesRcdPlusClPlusBurst(String name) {
    DramStandard std = Standards.load(name);
    RequestTrace t = new RequestTrace("one");
    t.add(0x4000, RequestType.READ, 10);
    MemoryResult r = runOne(name, t);
    long cycles = std.timing("nRCDRD") + std.timing("nCL") + std.timing("nBL");
    assertEquals(cycles * std.tCKns(), r.avgReadLatencyNs(), 1e-9);
    assertEquals(10 + cycles, r.cycles());
    assertEquals(1, r.rowMisses());
    assertEquals(0, r.violations());
  }

  @ParameterizedTest
  @MethodSource("standards")
  void rowHitTakesClPlusBurst(String name) {
    DramStandard std = Standards.load(name);
    RequestTrace t = new RequestTrace("hit");
    t.add(0, RequestType.READ, 0);
    // Same row and bank, long after the first completed: a row hit.
    t.add(0, RequestType.READ, 500);
    MemoryResult r = runOne(name, t);
    long miss = std.timing("nRCDRD") + std.timing("nCL") + std.timing("nBL");
    long hit = std.timing("nCL") + std.timing("nBL");
    assertEquals((miss + hit) / 2.0 * std.tCKns(), r.avgReadLatencyNs(), 1e-9);
    assertEquals(1, r.rowHits());
  }

  @ParameterizedTest
  @MethodSource("standards")
  void rowConflictAddsPrecharge(String name) {
    DramStandard std = Standards.load(name);
    MemoryConfig cfg = MemoryConfig.builder(name).refresh("none").build();
    var org = std.org();
    // The default mapping RoRaBaCoBgCh puts the row above every other field.
    long rowStride = 32L * org.pseudoChannelsPerStack() * org.bankGroups() * org.columns() * org.banks() * org.ranks();
    int[] decoded = new int[6];
    io.duplexsim.memory.mapping.AddressMapping.of(cfg.mapping(), org, 1).decode(rowStride, RequestType.READ, decoded);
    assertEquals("[0, 0, 0, 0, 1, 0]", java.util.Arrays.toString(decoded));
    RequestTrace t = new RequestTrace("conflict");
    t.add(0, RequestType.READ, 0);
    t.add(rowStride, RequestType.READ, 1000);
    MemoryResult r = runOne(name, t);
    long miss = std.timing("nRCDRD") + std.timing("nCL") + std.timing("nBL");
    long conflict = std.timing("nRP") + miss;
    assertEquals((miss + conflict) / 2.0 * std.tCKns(), r.avgReadLatencyNs(), 1e-9);
    assertEquals(1, r.rowConflicts());
  }
}
