package io.duplexsim.units.logicpim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import org.junit.jupiter.api.Test;

/**
 * Logic-PIM GEMM on one HBM3-5.2 stack through the cycle-level memory system: small m streams at the
 * bank-bundle bandwidth (4x the pins), large m runs at the MAC peak, and the crossover sits near
 * Op/B 8 as the paper designs it.
 */
class LogicPimGemmTest {
  private static final LogicPimConfig PIM = LogicPimConfig.duplex();
  private static final double PATH_GBPS = 4 * 665.6;
  private static final double PEAK_TFLOPS = PIM.peakFlopsPerStack(32) / 1e12;

  private static LogicPimGemm.Result run(int m, int k, int n, boolean fastForward) {
    return LogicPimGemm.run(PIM, MemoryConfig.builder("HBM3-5.2").fastForward(fastForward).build(), m, k, n,
        TensorFormat.BF16);
  }

  @Test
  void gemvStreamsAtTheBundleBandwidthAndNeverAboveIt() {
    LogicPimGemm.Result r = run(1, 4096, 4096, true);
    assertTrue(r.achievedGBps() <= PATH_GBPS, r.toString());
    assertTrue(r.achievedGBps() >= 0.85 * PATH_GBPS, r.toString());
    assertEquals("memory", r.bound());
  }

  @Test
  void largeBatchesRunNearTheMacPeak() {
    LogicPimGemm.Result r = run(64, 4096, 2048, true);
    assertTrue(r.achievedTflops() <= PEAK_TFLOPS * 1.0001, r.toString());
    assertTrue(r.achievedTflops() >= 0.9 * PEAK_TFLOPS, r.toString());
    assertEquals("compute", r.bound());
  }

  @Test
  void computeTakesOverFromMemoryAroundOpPerByteEight() {
    // BF16 weights: Op/B = 2m / 2 = m. Below 8 the time hardly depends on m; above, it grows with m.
    double t2 = run(2, 2048, 2048, true).timeNs();
    double t4 = run(4, 2048, 2048, true).timeNs();
    double t32 = run(32, 2048, 2048, true).timeNs();
    assertEquals(t2, t4, t2 * 0.05);
    assertTrue(t32 > 3 * t4, t32 + " vs " + t4);
  }

  @Test
  void fastForwardGivesTheSameCycles() {
    assertEquals(run(3, 1024, 1024, true), run(3, 1024, 1024, false));
  }
}
