package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Standards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streaming reads reach the pins' peak less what refresh takes, per stack and per pseudo-channel,
 * and Logic-PIM bundle reads reach four times that through the wide TSV channel.
 */
class StreamingBandwidthTest {
  static java.util.List<String> standards() {
    return Standards.names();
  }

  /** Fraction of time all-bank refresh leaves for data: 1 - tRFC / tREFI. */
  private static double refreshAvailability(DramStandard std) {
    return 1 - std.timing("nRFC") / (double) std.timing("nREFI");
  }

  @ParameterizedTest
  @MethodSource("standards")
  void stackStreamReachesNinetyPercentOfPeakLessRefresh(String name) {
    DramStandard std = Standards.load(name);
    int perPc = 6000;
    int n = perPc * std.org().pseudoChannelsPerStack();
    MemoryResult r = MemorySimulation.run(MemoryConfig.builder(name).build(),
        TestTraces.stream(n, RequestType.READ, std.org().accessBytes()));
    double bound = std.stackPeakGBps() * refreshAvailability(std);
    assertTrue(r.bandwidthGBps() >= 0.9 * bound, name + ": " + r.bandwidthGBps() + " GB/s < 90% of " + bound);
    assertTrue(r.bandwidthGBps() <= std.stackPeakGBps() * 1.0001, "never above the pins");
  }

  @Test
  void onePseudoChannelStreamReachesNinetyPercentOfItsPeak() {
    DramStandard std = Standards.load("HBM3-5.2");
    // Addresses that all land in pseudo-channel 0: skip the channel field (lowest) by striding it.
    int pcs = std.org().pseudoChannelsPerStack();
    io.duplexsim.memory.frontend.RequestTrace t = new io.duplexsim.memory.frontend.RequestTrace("pc0");
    for (int i = 0; i < 20000; i++) {
      t.add((long) i * 32 * pcs, RequestType.READ);
    }
    MemoryResult r = MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").build(), t);
    double bound = std.pseudoChannelPeakGBps() * refreshAvailability(std);
    assertTrue(r.bandwidthGBps() >= 0.9 * bound, r.bandwidthGBps() + " < 90% of " + bound);
  }

  @Test
  void sameBankGroupStreamIsCappedByTccdL() {
    // Refresh off and one rank's worth of columns: consecutive reads stay in one bank group of one
    // rank, so they are spaced tCCD_L = 2 tCCD_S and reach half the pins.
    DramStandard std = Standards.load("HBM3-5.2");
    int pcs = std.org().pseudoChannelsPerStack();
    io.duplexsim.memory.frontend.RequestTrace t = new io.duplexsim.memory.frontend.RequestTrace("one-bank");
    for (int i = 0; i < 32; i++) {
      t.add((long) i * 32 * pcs, RequestType.READ);
    }
    MemoryResult r = MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").mapping("RoBaRaCoCh").refresh("none")
        .build(), t);
    // 32 reads of one row: ACT, then a read every tCCD_L.
    long expected = std.timing("nRCDRD") + 31L * std.timing("nCCDL") + std.timing("nCL") + std.timing("nBL");
    assertEquals(expected, r.cycles());
  }

  @ParameterizedTest
  @MethodSource("standards")
  void bundleStreamReachesFourTimesThePseudoChannelBandwidth(String name) {
    DramStandard std = Standards.load(name);
    int unit = std.org().accessBytes() * std.org().banksPerBundle();
    int n = 1500 * std.org().pseudoChannelsPerStack();
    MemoryResult r = MemorySimulation.run(MemoryConfig.builder(name).build(),
        TestTraces.stream(n, RequestType.BUNDLE_READ, unit));
    double fourX = 4 * std.stackPeakGBps() * refreshAvailability(std);
    assertTrue(r.bandwidthGBps() >= 0.9 * fourX && r.bandwidthGBps() <= 4 * std.stackPeakGBps(),
        name + ": " + r.bandwidthGBps() + " GB/s vs 4x " + fourX);
  }
}
