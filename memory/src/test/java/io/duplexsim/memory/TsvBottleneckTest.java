package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.frontend.RequestType;
import org.junit.jupiter.api.Test;

/** Narrowed TSV channels become the bottleneck; wider ones than the banks can feed change nothing. */
class TsvBottleneckTest {
  private static MemoryResult stream(MemoryConfig.Builder b, RequestType type, int unit) {
    return MemorySimulation.run(b.refresh("none").check(true).build(), TestTraces.stream(64000, type, unit));
  }

  @Test
  void halfWidthConventionalTsvHalvesStreamBandwidth() {
    MemoryResult full = stream(MemoryConfig.builder("HBM3-5.2"), RequestType.READ, 32);
    MemoryResult half = stream(MemoryConfig.builder("HBM3-5.2").tsvXpuWidth(0.5), RequestType.READ, 32);
    assertEquals(0.5, half.bandwidthGBps() / full.bandwidthGBps(), 0.03);
    assertEquals(0, half.violations());
  }

  @Test
  void logicPimBundlesNeedTheFourTimesWiderTsv() {
    MemoryResult wide = stream(MemoryConfig.builder("HBM3-5.2"), RequestType.BUNDLE_READ, 256);
    MemoryResult conventional = stream(MemoryConfig.builder("HBM3-5.2").tsvPimWidth(1), RequestType.BUNDLE_READ, 256);
    assertEquals(0.25, conventional.bandwidthGBps() / wide.bandwidthGBps(), 0.02);
  }

  @Test
  void widerTsvThanTheBanksCanFeedChangesNothing() {
    MemoryResult base = stream(MemoryConfig.builder("HBM3-5.2"), RequestType.READ, 32);
    MemoryResult wide = stream(MemoryConfig.builder("HBM3-5.2").tsvXpuWidth(2), RequestType.READ, 32);
    assertTrue(wide.cycles() <= base.cycles());
    assertEquals(base.bandwidthGBps(), wide.bandwidthGBps(), base.bandwidthGBps() * 0.01);
  }

  @Test
  void bankPimAllBankReadsBypassTheTsvs() {
    MemoryResult r = stream(MemoryConfig.builder("HBM3-5.2").tsvXpuWidth(0.25).tsvPimWidth(0.25),
        RequestType.ALLBANK_READ, 1024);
    assertEquals(0.0, r.energyBreakdownPj().get("tsv"));
    // 32 banks x 32 B every tCCD_AB = 4 cycles per pseudo-channel: 16x the pins.
    assertTrue(r.bandwidthGBps() > 12 * r.peakGBps(), r.bandwidthGBps() + " GB/s");
  }
}
