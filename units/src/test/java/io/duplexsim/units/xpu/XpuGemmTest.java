package io.duplexsim.units.xpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import org.junit.jupiter.api.Test;

/**
 * The xPU on one HBM3 stack with one stack's share of the H100 (26 of 132 SMs, L2 scaled alike), so
 * that compute and bandwidth keep the full device's balance at a fifth of the simulation cost.
 */
class XpuGemmTest {
  private static final MemoryConfig ONE_STACK = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
  private static final XpuConfig SLICE = XpuConfig.h100().withSms(26);
  private static final double PIN_GBPS = 665.6;

  private static OpResult xpu(int m, int k, int n) {
    return XpuGemm.run(SLICE, ONE_STACK, m, k, n, TensorFormat.BF16);
  }

  @Test
  void largeGemmApproachesButNeverExceedsPeak() {
    OpResult r = xpu(1024, 2048, 4096);
    double peak = SLICE.peakTflops(false);
    assertTrue(r.achievedTflops() <= peak, r + " above peak " + peak);
    assertTrue(r.achievedTflops() >= 0.75 * peak, r + " far below peak " + peak);
    assertEquals("compute", r.bound());
  }

  @Test
  void gemvStreamsAtNearlyThePinBandwidthAndNeverAbove() {
    OpResult r = xpu(1, 4096, 2048);
    assertTrue(r.achievedGBps() <= PIN_GBPS, r.toString());
    assertTrue(r.achievedGBps() >= 0.85 * PIN_GBPS, r.achievedGBps() + " GB/s");
    assertEquals("memory", r.bound());
  }

  @Test
  void memoryBoundWorkSlowsWithTheMemoryAndComputeBoundWorkDoesNot() {
    // HBM2E-3.2 has 3.2/5.2 of HBM3-5.2's pin bandwidth per stack.
    MemoryConfig slow = MemoryConfig.builder("HBM2E-3.2").stacks(1).build();
    OpResult gemvFast = xpu(1, 2048, 2048);
    OpResult gemvSlow = XpuGemm.run(SLICE, slow, 1, 2048, 2048, TensorFormat.BF16);
    double ratio = gemvSlow.timeNs() / gemvFast.timeNs();
    assertTrue(ratio > 1.4 && ratio < 1.8, "GEMV slowdown " + ratio + " for a 1.63x slower memory");
    OpResult gemmFast = xpu(1024, 2048, 4096);
    OpResult gemmSlow = XpuGemm.run(SLICE, slow, 1024, 2048, 4096, TensorFormat.BF16);
    assertTrue(gemmSlow.timeNs() / gemmFast.timeNs() < 1.15, "compute-bound GEMM should barely notice");
  }

  @Test
  void eightBitOperandsBeatThe16BitPeakButNotTheirOwn() {
    OpResult bf16 = xpu(1024, 2048, 4096);
    OpResult fp8 = XpuGemm.run(SLICE, ONE_STACK, 1024, 2048, 4096, TensorFormat.FP8);
    double speedup = bf16.timeNs() / fp8.timeNs();
    assertTrue(speedup > 1.3 && speedup <= 2.0, "FP8 speedup " + speedup);
    assertTrue(fp8.achievedTflops() > SLICE.peakTflops(false), fp8.achievedTflops() + " TFLOPS");
    assertTrue(fp8.achievedTflops() <= SLICE.peakTflops(true));
  }

  @Test
  void theCrossoverOfThePaperEmerges() {
    // Bank-PIM fastest at Op/B 1-2, Logic-PIM around 8-32, the xPU at high Op/B (Duplex, Fig. 3).
    int k = 2048;
    int n = 2048;
    for (int m : new int[] {1, 2}) {
      double bank = NearMemoryGemm.run(NearMemoryConfig.bankPim(), ONE_STACK, m, k, n, TensorFormat.BF16).timeNs();
      double logic = NearMemoryGemm.run(NearMemoryConfig.logicPim(), ONE_STACK, m, k, n, TensorFormat.BF16).timeNs();
      double x = xpu(m, k, n).timeNs();
      assertTrue(bank < logic && bank < x, "m=" + m + ": bank " + bank + " logic " + logic + " xpu " + x);
    }
    for (int m : new int[] {8, 16, 32}) {
      double bank = NearMemoryGemm.run(NearMemoryConfig.bankPim(), ONE_STACK, m, k, n, TensorFormat.BF16).timeNs();
      double logic = NearMemoryGemm.run(NearMemoryConfig.logicPim(), ONE_STACK, m, k, n, TensorFormat.BF16).timeNs();
      double x = xpu(m, k, n).timeNs();
      assertTrue(logic < bank && logic < x, "m=" + m + ": bank " + bank + " logic " + logic + " xpu " + x);
    }
    for (int m : new int[] {128, 512}) {
      double logic = NearMemoryGemm.run(NearMemoryConfig.logicPim(), ONE_STACK, m, k, n, TensorFormat.BF16).timeNs();
      double x = xpu(m, k, n).timeNs();
      assertTrue(x < logic, "m=" + m + ": logic " + logic + " xpu " + x);
    }
  }

  @Test
  void energyPerBitFollowsThePaths() {
    double bank = NearMemoryGemm.run(NearMemoryConfig.bankPim(), ONE_STACK, 1, 2048, 2048, TensorFormat.BF16).pjPerBit();
    double logic = NearMemoryGemm.run(NearMemoryConfig.logicPim(), ONE_STACK, 1, 2048, 2048, TensorFormat.BF16)
        .pjPerBit();
    double x = xpu(1, 2048, 2048).pjPerBit();
    assertTrue(bank < logic && logic < x, bank + " < " + logic + " < " + x);
    assertTrue(x > 3.48, "the off-stack path alone costs 3.48 pJ/bit: " + x);
  }

  @Test
  void sameInputsGiveIdenticalResults() {
    assertEquals(xpu(48, 1024, 1024), xpu(48, 1024, 1024));
  }

  @Test
  void fastForwardChangesNothing() {
    XpuConfig tiny = XpuConfig.h100().withSms(2);
    MemoryConfig everyCycle = ONE_STACK.toBuilder().fastForward(false).build();
    OpResult ff = XpuGemm.run(tiny, ONE_STACK, 130, 200, 300, TensorFormat.BF16);
    OpResult slow = XpuGemm.run(tiny, everyCycle, 130, 200, 300, TensorFormat.BF16);
    assertEquals(ff, slow);
  }

  @Test
  void everyByteOfWAndYCrossesTheMemoryAtLeastOnce() {
    int m = 1;
    int k = 1000;
    int n = 3000;
    OpResult r = xpu(m, k, n);
    long atLeast = 2L * k * n + 2L * n + 2L * m * k;
    assertTrue(r.bytes() >= atLeast && r.bytes() < atLeast * 1.05, r.bytes() + " vs " + atLeast);
    assertEquals(2L * m * k * n, r.flops());
  }

  @Test
  void theFullGpuStreamsADecodeGemvAtAtLeast85PercentOfItsPins() {
    // The check on the real preset: 5 stacks, 132 SMs, the device's hashed mapping.
    var gpu = Devices.load("gpu");
    OpResult r = XpuGemm.run(gpu.xpuConfig().orElseThrow(), gpu.memoryConfig(), 1, 4096, 14336, TensorFormat.BF16);
    double pins = 5 * PIN_GBPS;
    assertTrue(r.achievedGBps() <= pins && r.achievedGBps() >= 0.85 * pins, r.achievedGBps() + " GB/s");
  }
}
