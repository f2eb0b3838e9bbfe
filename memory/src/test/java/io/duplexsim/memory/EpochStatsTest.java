package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.energy.DramEnergy;
import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Standards;
import io.duplexsim.sim.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Epoch statistics: they partition the run's own totals, and show refresh where it falls. */
class EpochStatsTest {
  private final DramStandard std = Standards.load("HBM3-5.2");

  @Test
  void epochsAddUpToTheRunsTotals() {
    RequestTrace trace = TestTraces.random(40000, 3, 0.67, 1L << 24); // past the first refresh
    EpochStats stats = new EpochStats(std, DramEnergy.defaults(), 1, 500);
    MemoryResult r = MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").build(), trace, stats, 1);
    List<EpochStats.Epoch> epochs = stats.epochs(r.cycles());
    assertEquals((r.cycles() + 499) / 500, epochs.size());
    assertEquals(r.cycles(), epochs.stream().mapToLong(EpochStats.Epoch::cycles).sum());
    long bytes = 0;
    long reads = 0;
    long writes = 0;
    long acts = 0;
    long pres = 0;
    long refs = 0;
    for (EpochStats.Epoch e : epochs) {
      bytes += e.bytes();
      reads += e.reads();
      writes += e.writes();
      acts += e.activates();
      pres += e.precharges();
      refs += e.refreshes();
    }
    assertEquals(r.bytesByPath().values().stream().mapToLong(Long::longValue).sum(), bytes);
    assertEquals(r.reads(), reads);
    assertEquals(r.writes(), writes);
    assertEquals(r.commandCounts().get("ACT"), acts);
    assertEquals(r.commandCounts().get("PRE") + r.commandCounts().getOrDefault("PREA", 0L), pres);
    assertEquals(r.commandCounts().getOrDefault("REFab", 0L), refs);
    assertTrue(refs > 0);
  }

  @Test
  void epochEnergyAddsUpToTheRunsEnergyBackgroundIncluded() {
    // Two stacks, Logic-PIM bundles beside xPU reads and writes, and a background power: every term priced.
    MemoryConfig config = MemoryConfig.builder("HBM3-5.2").stacks(2).energyOverride("backgroundMw", 1500).build();
    RequestTrace trace = TestTraces.allTypes(6000, 4);
    EpochStats stats = new EpochStats(std, DramEnergy.withOverrides(config.energyOverrides()), 2, 300);
    MemoryResult r = MemorySimulation.run(config, trace, stats, 1);
    double pj = stats.epochs(r.cycles()).stream().mapToDouble(EpochStats.Epoch::energyPj).sum();
    assertEquals(r.energyPj(), pj, 1e-9 * r.energyPj());
    assertTrue(r.energyBreakdownPj().get("dram.background") > 0);
  }

  @Test
  void allBankRefreshFallsInTheEpochOfItsInterval() {
    // A stream long enough to pass the first refresh interval, in epochs of 100 cycles.
    RequestTrace trace = TestTraces.stream(150000, RequestType.READ, 32);
    EpochStats stats = new EpochStats(std, DramEnergy.defaults(), 1, 100);
    MemoryResult r = MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").build(), trace, stats, 1);
    List<EpochStats.Epoch> epochs = stats.epochs(r.cycles());
    int refi = std.timing("nREFI");
    int first = -1;
    for (int i = 0; i < epochs.size() && first < 0; i++) {
      if (epochs.get(i).refreshes() > 0) {
        first = i;
      }
    }
    // Due at tREFI, issued after the banks' precharge: in the epoch of tREFI or the next.
    assertTrue(first == refi / 100 || first == refi / 100 + 1, "first refresh in epoch " + first);
    assertEquals(32, epochs.get(first).refreshes() + (first + 1 < epochs.size() ? epochs.get(first + 1).refreshes() : 0));
    // A streaming epoch without refresh moves data near the pins' peak; the refresh epoch much less.
    assertTrue(epochs.get(first - 2).bandwidthGBps() > 0.95 * r.peakGBps(), "" + epochs.get(first - 2));
    assertTrue(epochs.get(first).bandwidthGBps() < 0.8 * r.peakGBps(), "" + epochs.get(first));
  }

  @Test
  void lanesShowTheEpochsTheOneThreadRunShows() {
    RequestTrace trace = TestTraces.random(20000, 5, 0.67, 1L << 30);
    MemoryConfig config = MemoryConfig.builder("HBM3-5.2").build();
    EpochStats one = new EpochStats(std, DramEnergy.defaults(), 1, 250);
    EpochStats two = new EpochStats(std, DramEnergy.defaults(), 1, 250);
    MemoryResult a = MemorySimulation.run(config, trace, one, 1);
    MemoryResult b = MemorySimulation.run(config, trace, two, 2);
    assertEquals(2, b.threads());
    assertEquals(one.epochs(a.cycles()), two.epochs(b.cycles()));
  }

  @Test
  void epochsMustBePositive() {
    InputException e = assertThrows(InputException.class, () -> new EpochStats(std, DramEnergy.defaults(), 1, 0));
    assertEquals("epoch-cycles must be a positive number of cycles, got 0", e.getMessage());
  }
}
