package io.duplexsim.units.nearmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.OpResult;
import org.junit.jupiter.api.Test;

/**
 * Near-memory GEMM on one HBM3-5.2 stack through the cycle-level memory system. Logic-PIM: small m
 * streams at the bank-bundle bandwidth (4x the pins), large m runs at the MAC peak, and the crossover
 * sits near Op/B 8 as the paper designs it. Bank-PIM: up to 16x the pins at Op/B 1, so it wins the
 * GEMV and loses once m grows. With BF16 weights a GEMM's Op/B is m.
 */
class NearMemoryGemmTest {
  private static final NearMemoryConfig LOGIC = NearMemoryConfig.logicPim();
  private static final NearMemoryConfig BANK = NearMemoryConfig.bankPim();
  private static final double PINS_GBPS = 665.6;

  private static OpResult run(NearMemoryConfig unit, int m, int k, int n, boolean fastForward) {
    return NearMemoryGemm.run(unit, MemoryConfig.builder("HBM3-5.2").fastForward(fastForward).build(), m, k, n,
        TensorFormat.BF16);
  }

  @Test
  void logicPimGemvStreamsAtTheBundleBandwidthAndNeverAboveIt() {
    OpResult r = run(LOGIC, 1, 4096, 4096, true);
    assertTrue(r.achievedGBps() <= 4 * PINS_GBPS, r.toString());
    assertTrue(r.achievedGBps() >= 0.85 * 4 * PINS_GBPS, r.toString());
    assertEquals("memory", r.bound());
  }

  @Test
  void logicPimLargeBatchesRunNearTheMacPeak() {
    double peak = LOGIC.peakFlops(32) / 1e12;
    OpResult r = run(LOGIC, 64, 4096, 2048, true);
    assertTrue(r.achievedTflops() <= peak * 1.0001, r.toString());
    assertTrue(r.achievedTflops() >= 0.9 * peak, r.toString());
    assertEquals("compute", r.bound());
  }

  @Test
  void logicPimComputeTakesOverAroundOpPerByteEight() {
    double t2 = run(LOGIC, 2, 2048, 2048, true).timeNs();
    double t4 = run(LOGIC, 4, 2048, 2048, true).timeNs();
    double t32 = run(LOGIC, 32, 2048, 2048, true).timeNs();
    assertEquals(t2, t4, t2 * 0.05);
    assertTrue(t32 > 3 * t4, t32 + " vs " + t4);
  }

  /**
   * Bank-PIM reads every bank at once, so a row switch (tRTP + tRP + tRCD after each row's 32
   * all-bank reads) cannot hide behind other banks: the stream is bounded by that row cycle and by
   * refresh, well below the nominal 16x. The bound is arithmetic on the standard's timings.
   */
  @Test
  void bankPimGemvStreamsAtItsRowCycleBoundAndNeverAboveSixteenTimesThePins() {
    var std = io.duplexsim.memory.standard.Standards.load("HBM3-5.2");
    double burst = std.org().columns() * (double) std.timing("nCCDAB");
    double rowSwitch = std.timing("nRTPL") + std.timing("nRP") + std.timing("nRCDRD");
    double refresh = 1 - std.timing("nRFC") / (double) std.timing("nREFI");
    double bound = 16 * PINS_GBPS * burst / (burst + rowSwitch) * refresh;
    OpResult r = run(BANK, 1, 4096, 4096, true);
    assertTrue(r.achievedGBps() <= 16 * PINS_GBPS, r.toString());
    assertTrue(r.achievedGBps() >= 0.9 * bound, r + " vs row-cycle bound " + bound);
  }

  @Test
  void bankPimWinsAtOpPerByteOneAndLogicPimAtSixteen() {
    assertTrue(run(BANK, 1, 2048, 4096, true).timeNs() < run(LOGIC, 1, 2048, 4096, true).timeNs());
    assertTrue(run(LOGIC, 16, 2048, 4096, true).timeNs() < run(BANK, 16, 2048, 4096, true).timeNs());
  }

  @Test
  void energyPerBitFollowsThePathsBankPimThenLogicPimThenBankgroupPim() {
    OpResult bank = run(BANK, 1, 2048, 4096, true);
    OpResult logic = run(LOGIC, 1, 2048, 4096, true);
    OpResult bankgroup = run(NearMemoryConfig.bankgroupPim(), 1, 2048, 4096, true);
    assertTrue(bank.pjPerBit() < logic.pjPerBit(), bank.pjPerBit() + " vs " + logic.pjPerBit());
    // hardware.md: Logic-PIM's path (1.81 pJ/b) is cheaper than Bankgroup-PIM's (2.68 pJ/b).
    assertTrue(logic.pjPerBit() < bankgroup.pjPerBit(), logic + " vs " + bankgroup);
    // Same compute and bandwidth as Logic-PIM, so the same time.
    assertEquals(logic.timeNs(), bankgroup.timeNs(), logic.timeNs() * 0.01);
    assertEquals(0.0, bankgroup.energyBreakdownPj().get("tsv"));
    // The Logic-PIM path costs 1.81 pJ/b (array + TSV); activations, refresh and MACs come on top.
    assertTrue(logic.pjPerBit() > 1.81 && logic.pjPerBit() < 3.48, logic.toString());
    assertEquals(0.0, bank.energyBreakdownPj().get("tsv"));
    assertEquals(bank.flops() / 2.0 * NearMemoryGemm.MAC_PJ, bank.energyBreakdownPj().get("bank-pim.mac"), 1e-6);
  }

  /** Runs long enough (several tREFI) that refreshes fall inside them, even and uneven splits. */
  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> sliceCases() {
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(LOGIC, 1, 2048),
        org.junit.jupiter.params.provider.Arguments.of(LOGIC, 1, 2048 + 5),
        org.junit.jupiter.params.provider.Arguments.of(NearMemoryConfig.bankgroupPim(), 1, 2048 + 17),
        org.junit.jupiter.params.provider.Arguments.of(BANK, 1, 8192 + 3),
        org.junit.jupiter.params.provider.Arguments.of(LOGIC, 2, 4096 + 7));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("sliceCases")
  void simulatingOnePseudoChannelPerSliceWidthEqualsSimulatingAll(NearMemoryConfig unit, int stacks, int n) {
    MemoryConfig cfg = MemoryConfig.builder("HBM3-5.2").stacks(stacks).build();
    OpResult full = NearMemoryGemm.runAllPseudoChannels(unit, cfg, 3, 4096, n, TensorFormat.BF16);
    OpResult fast = NearMemoryGemm.run(unit, cfg, 3, 4096, n, TensorFormat.BF16);
    String what = unit.name() + " stacks " + stacks + " n " + n;
    assertTrue(full.energyBreakdownPj().get("dram.refresh") > 0, what + ": the run should span a refresh");
    assertEquals(full.unitCycles(), fast.unitCycles(), what);
    assertEquals(full.timeNs(), fast.timeNs(), 1e-9, what);
    assertEquals(full.bytes(), fast.bytes(), what);
    assertEquals(full.flops(), fast.flops(), what);
    assertEquals(full.busyFraction(), fast.busyFraction(), 1e-12, what);
    assertEquals(full.bound(), fast.bound(), what);
    assertEquals(full.energyBreakdownPj().keySet(), fast.energyBreakdownPj().keySet(), what);
    full.energyBreakdownPj().forEach((k, v) ->
        assertEquals(v, fast.energyBreakdownPj().get(k), 1e-9 * (1 + v), what + " " + k));
  }

  @Test
  void fastForwardGivesTheSameCycles() {
    assertEquals(run(LOGIC, 3, 1024, 1024, true), run(LOGIC, 3, 1024, 1024, false));
    assertEquals(run(BANK, 2, 1024, 1024, true), run(BANK, 2, 1024, 1024, false));
  }

  @Test
  void xRowsBeyondTheInputBufferMakeWStreamOncePerBufferFull() {
    MemoryConfig oneStack = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
    // 512 x 4096 BF16 inputs are 4 MiB: four fills of the 1 MiB buffer, so W streams four times.
    OpResult big = NearMemoryGemm.run(LOGIC, oneStack, 512, 4096, 1024, TensorFormat.BF16);
    OpResult fits = NearMemoryGemm.run(LOGIC, oneStack, 128, 4096, 1024, TensorFormat.BF16);
    long w = 2L * 4096 * 1024;
    assertEquals(4 * w + 2L * 512 * 4096, big.bytes());
    assertEquals(w + 2L * 128 * 4096, fits.bytes());
    assertTrue(big.timeNs() > 3.9 * fits.timeNs(), big.timeNs() + " vs " + fits.timeNs());
  }
}
