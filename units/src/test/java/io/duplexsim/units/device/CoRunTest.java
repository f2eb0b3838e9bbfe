package io.duplexsim.units.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.nearmemory.NearMemoryAttention;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import io.duplexsim.units.xpu.XpuAttention;
import io.duplexsim.units.xpu.XpuConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.mapping.AddressMapping;
import org.junit.jupiter.api.Test;

/** The xPU and Logic-PIM sharing one stack's pseudo-channels, their data in different bundles. */
class CoRunTest {
  private static final MemoryConfig ONE_STACK = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
  private static final XpuConfig SLICE = XpuConfig.h100().withSms(26);
  private static final NearMemoryConfig LOGIC = NearMemoryConfig.logicPim();
  private static final CoRun.Shape XPU_GEMV = new CoRun.Shape(1, 2048, 2048);
  private static final CoRun.Shape PIM_GEMM = new CoRun.Shape(8, 2048, 4096);

  @Test
  void inSeparateBundlesTheUnitsBarelyDisturbEachOther() {
    CoRun.Result xAlone = CoRun.run(SLICE, LOGIC, ONE_STACK, XPU_GEMV, null, TensorFormat.BF16);
    CoRun.Result pAlone = CoRun.run(SLICE, LOGIC, ONE_STACK, null, PIM_GEMM, TensorFormat.BF16);
    CoRun.Result both = CoRun.run(SLICE, LOGIC, ONE_STACK, XPU_GEMV, PIM_GEMM, TensorFormat.BF16);
    double x = xAlone.xpu().timeNs();
    double p = pAlone.nearMemory().timeNs();
    // Different ranks, different data paths (pins vs wide TSVs), queues of their own: only the
    // command buses are shared, and neither unit needs more than half of one.
    assertTrue(both.xpu().timeNs() >= x && both.xpu().timeNs() < 1.02 * x, both.xpu().timeNs() + " vs " + x);
    assertTrue(both.nearMemory().timeNs() >= p && both.nearMemory().timeNs() < 1.02 * p,
        both.nearMemory().timeNs() + " vs " + p);
    assertTrue(both.makespanNs() < 0.8 * (x + p), both.makespanNs() + " vs " + (x + p));
    assertEquals(both.xpu().flops(), xAlone.xpu().flops());
    assertEquals(both.nearMemory().bytes(), pAlone.nearMemory().bytes());
  }

  @Test
  void sharingBanksMakesThemContend() {
    CoRun.Result xAlone = CoRun.run(SLICE, LOGIC, ONE_STACK, XPU_GEMV, null, TensorFormat.BF16, false);
    CoRun.Result pAlone = CoRun.run(SLICE, LOGIC, ONE_STACK, null, PIM_GEMM, TensorFormat.BF16, false);
    CoRun.Result both = CoRun.run(SLICE, LOGIC, ONE_STACK, XPU_GEMV, PIM_GEMM, TensorFormat.BF16, false);
    double slowdown = Math.max(both.xpu().timeNs() / xAlone.xpu().timeNs(),
        both.nearMemory().timeNs() / pAlone.nearMemory().timeNs());
    assertTrue(slowdown > 1.05, "row conflicts between the units should show: " + slowdown);
  }

  @Test
  void theBundleLayoutCostsAMemoryBoundXpuOpSinceItsDataReachOneRanksBanks() {
    CoRun.Result bundles = CoRun.run(SLICE, LOGIC, ONE_STACK, XPU_GEMV, null, TensorFormat.BF16, true);
    CoRun.Result allBanks = CoRun.run(SLICE, LOGIC, ONE_STACK, XPU_GEMV, null, TensorFormat.BF16, false);
    double ratio = bundles.xpu().timeNs() / allBanks.xpu().timeNs();
    assertTrue(ratio > 1.01 && ratio < 1.3, "bundles " + bundles.xpu().timeNs() + " ns, all banks "
        + allBanks.xpu().timeNs() + " ns");
    assertEquals(allBanks.xpu().bytes(), bundles.xpu().bytes());
  }

  private static Attention attention(Unit unit, AttentionPhase phase, int requests, int queryTokens, int kvLength) {
    int[] q = new int[requests];
    int[] kv = new int[requests];
    java.util.Arrays.fill(q, queryTokens);
    java.util.Arrays.fill(kv, kvLength);
    return new Attention(0, unit, IntSeq.empty(), IntSeq.of(q), IntSeq.of(kv), 8, 2, 128, true, phase,
        TensorFormat.BF16, null);
  }

  private static final Attention PREFILL = attention(Unit.XPU, AttentionPhase.PREFILL, 2, 256, 256);
  private static final Attention DECODE = attention(Unit.LOGIC_PIM, AttentionPhase.DECODE, 16, 1, 1024);

  @Test
  void prefillAttentionOnTheXpuIsNotHeldBackByDecodeAttentionOnLogicPim() {
    // Duplex+PE's attention co-processing: a mixed stage's prefill on the xPU, its decodes on Logic-PIM.
    // The xPU's last writes drain once it has no reads of its own, not when Logic-PIM's reads end (they
    // used to wait for the high watermark, and the xPU finished with Logic-PIM, 60% late).
    CoRun.Op x = CoRun.Op.attention(PREFILL);
    CoRun.Op p = CoRun.Op.attention(DECODE);
    double xAlone = CoRun.run(SLICE, LOGIC, ONE_STACK, x, null, true).xpu().timeNs();
    CoRun.Result both = CoRun.run(SLICE, LOGIC, ONE_STACK, x, p, true);
    assertTrue(both.xpu().timeNs() < 1.02 * xAlone, both.xpu().timeNs() + " vs " + xAlone);
    assertTrue(both.xpu().timeNs() < 0.9 * both.nearMemory().timeNs(), both.xpu() + " vs " + both.nearMemory());
    assertEquals(Math.max(both.xpu().timeNs(), both.nearMemory().timeNs()), both.makespanNs(), 1.0);
    // Nor is Logic-PIM held back by the xPU's write drains in its own bundles: each requester drains
    // its own writes, and the two data paths turn around only within a rank. (With one write mode per
    // pseudo-channel and path turnarounds across ranks it lost 6-31% on Duplex-sized attention.)
    double pAlone = CoRun.run(SLICE, LOGIC, ONE_STACK, null, p, true).nearMemory().timeNs();
    assertTrue(both.nearMemory().timeNs() < 1.02 * pAlone, both.nearMemory().timeNs() + " vs " + pAlone);
    CoRun.Result shared = CoRun.run(SLICE, LOGIC, ONE_STACK, x, p, false);
    assertTrue(both.nearMemory().timeNs() < shared.nearMemory().timeNs(),
        both.nearMemory().timeNs() + " vs " + shared.nearMemory().timeNs());
  }

  @Test
  void eachAttentionAloneInACoRunTakesWhatItsOwnUnitsRunGives() {
    MemoryConfig bundles = ONE_STACK.toBuilder().mapping(CoRun.BUNDLE_SPACES).build();
    OpResult xpuOwn = XpuAttention.run(SLICE, bundles, PREFILL);
    OpResult xpuCoRun = CoRun.run(SLICE, LOGIC, ONE_STACK, CoRun.Op.attention(PREFILL), null, true).xpu();
    assertEquals(xpuOwn.unitCycles(), xpuCoRun.unitCycles()); // the same data from byte 0: the same run
    assertEquals(xpuOwn.bytes(), xpuCoRun.bytes());
    // Logic-PIM's data sit in rank 1 in the co-run, from byte 0 (rank 0) in its own run: the ranks are alike
    OpResult pimOwn = NearMemoryAttention.runAllStacks(LOGIC, bundles, DECODE);
    OpResult pimCoRun = CoRun.run(SLICE, LOGIC, ONE_STACK, null, CoRun.Op.attention(DECODE), true).nearMemory();
    assertEquals(pimOwn.timeNs(), pimCoRun.timeNs(), 0.005 * pimOwn.timeNs());
    assertEquals(pimOwn.bytes(), pimCoRun.bytes());
    assertEquals(pimOwn.flops(), pimCoRun.flops());
  }

  @Test
  void theDuplexPresetPricesItsOpsInTheBundleSpacesLayout() {
    assertEquals(CoRun.BUNDLE_SPACES, Devices.load("duplex").memoryConfig().mapping());
  }

  @Test
  void aNearMemoryGemmTakesTheSameTimeInEitherRankSoItsPriceNeedsNoBase() {
    // Runs price a near-memory op with its data from byte 0 (rank 0 under the bundle spaces); Duplex
    // keeps them in rank 1, where CoRun puts them. The ranks are alike, and so are the times.
    MemoryConfig bundles = ONE_STACK.toBuilder().mapping(CoRun.BUNDLE_SPACES).build();
    OpResult rank0 = NearMemoryGemm.run(LOGIC, bundles, PIM_GEMM.m(), PIM_GEMM.k(), PIM_GEMM.n(), TensorFormat.BF16);
    OpResult rank1 = CoRun.run(SLICE, LOGIC, ONE_STACK, null, PIM_GEMM, TensorFormat.BF16).nearMemory();
    assertEquals(rank1.timeNs(), rank0.timeNs(), 0.005 * rank1.timeNs());
    assertEquals(rank1.bytes(), rank0.bytes());
  }

  @Test
  void eachUnitsDataStaysInItsOwnRank() {
    var org = MemorySystem.standardOf(ONE_STACK).org();
    long half = CoRun.halfCapacity(org, 32);
    AddressMapping mapping = AddressMapping.of(CoRun.BUNDLE_SPACES, org, 1);
    int[] out = new int[6];
    mapping.decode(half - 32, RequestType.READ, out);
    assertEquals(0, out[AddressMapping.RANK]);
    mapping.decode(half, RequestType.BUNDLE_READ, out);
    assertEquals(1, out[AddressMapping.RANK]);
  }
}
