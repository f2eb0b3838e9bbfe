package io.duplexsim.units.xpu;

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
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The unfused kernel ({@link AttentionKernel#UNFUSED}, S and P through DRAM; the fused one is in
 * {@link FlashAttentionTest}) on one stack's share of the H100 (26 SMs, L2 scaled alike) over one HBM3 stack. Decode
 * attention streams K and V at Op/B = the GQA group, so the xPU is memory-bound on it; prefill reuses
 * K and V over the prompt and is compute-heavy.
 */
class XpuAttentionTest {
  private static final MemoryConfig ONE_STACK = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
  private static final XpuConfig SLICE = XpuConfig.h100().withSms(26);
  private static final double PIN_GBPS = 665.6;

  static Attention attention(int batch, int queryTokens, int kvLength, int heads, int kvHeads, boolean causal,
      AttentionPhase phase) {
    int[] q = new int[batch];
    int[] kv = new int[batch];
    Arrays.fill(q, queryTokens);
    Arrays.fill(kv, kvLength);
    return new Attention(0, Unit.XPU, IntSeq.empty(), IntSeq.of(q), IntSeq.of(kv), heads, kvHeads, 128, causal, phase,
        TensorFormat.BF16, null);
  }

  static Attention decode(int batch, int kvLength, int heads, int kvHeads) {
    return attention(batch, 1, kvLength, heads, kvHeads, true, AttentionPhase.DECODE);
  }

  /** Llama-3-8B heads, 32 (request, KV head) pairs of 1024 tokens: 16 MiB of K and V. */
  private static final class Decode {
    static final Attention OP = decode(4, 1024, 32, 8);
    static final XpuAttention.Steps RUN = XpuAttention.simulateUnfused(SLICE, ONE_STACK, OP);
  }

  @Test
  void decodeAttentionIsMemoryBoundBelowThePinBandwidthButNearIt() {
    OpResult r = Decode.RUN.result();
    assertEquals("memory", r.bound());
    assertTrue(r.achievedGBps() <= PIN_GBPS, r.toString());
    // Measured 77% of the pins: each score and context kernel fills only 26 SMs with 32 small problems.
    assertTrue(r.achievedGBps() >= 0.6 * PIN_GBPS, r.achievedGBps() + " GB/s");
    assertTrue(r.busyFraction() < 0.05, "the tensor cores idle at Op/B 4: " + r.busyFraction());
  }

  @Test
  void opPerByteIsTheIsasFlopsOverTheBytesTheSimulationMoved() {
    Attention a = Decode.OP;
    XpuAttention.Steps s = Decode.RUN;
    OpResult r = s.result();
    assertEquals(a.flops(), r.flops());
    assertEquals((double) a.flops() / r.bytes(), r.opPerByte(), 1e-12);
    assertEquals(s.scoreBytes() + s.softmaxBytes() + s.contextBytes(), r.bytes());
    // Beyond the isa's K, V, Q and O: S written, read and written as P, P read (4 g/d of K and V).
    long pairs = (long) a.requests() * a.kvHeads();
    long scoreTraffic = 4 * pairs * a.groupSize() * 1024 * 2;
    assertTrue(r.bytes() >= a.bytes() + scoreTraffic, r.bytes() + " vs " + (a.bytes() + scoreTraffic));
    assertTrue(r.bytes() <= (a.bytes() + scoreTraffic) * 1.02, r.bytes() + " vs " + (a.bytes() + scoreTraffic));
    assertEquals((double) a.flops() / a.bytes(), r.opPerByte(), 0.1 * a.groupSize());
  }

  @Test
  void prefillAttentionReachesFarMoreTflopsThanDecode() {
    OpResult prefill = XpuAttention.run(SLICE, ONE_STACK,
        attention(1, 512, 512, 8, 2, true, AttentionPhase.PREFILL), AttentionKernel.UNFUSED);
    OpResult decode = Decode.RUN.result();
    assertTrue(prefill.achievedTflops() > 4 * decode.achievedTflops(), prefill + "\n" + decode);
    assertTrue(prefill.achievedTflops() <= SLICE.peakTflops(false));
  }

  @Test
  void theCausalMaskSkipsTilesPastTheDiagonal() {
    XpuAttention.Steps causal = XpuAttention.simulateUnfused(SLICE, ONE_STACK,
        attention(1, 512, 512, 4, 1, true, AttentionPhase.PREFILL));
    XpuAttention.Steps full = XpuAttention.simulateUnfused(SLICE, ONE_STACK,
        attention(1, 512, 512, 4, 1, false, AttentionPhase.PREFILL));
    assertEquals(2 * full.macs(), full.result().flops());
    double ratio = (double) causal.macs() / full.macs();
    // Half the pairs, plus whole tiles on the diagonal.
    assertTrue(ratio > 0.5 && ratio < 0.75, "causal / full MACs " + ratio);
    assertTrue(causal.softmaxBytes() < 0.6 * full.softmaxBytes());
    assertTrue(causal.result().timeNs() < full.result().timeNs());
  }

  @Test
  void logicPimBeatsTheXpuOnDecodeAttentionAtGqaGroups4And8() {
    // The paper's argument: one stack's Logic-PIM against one stack's share of the xPU.
    for (int kvHeads : new int[] {8, 4}) {
      Attention a = decode(32 / kvHeads, 1024, 32, kvHeads); // 32 pairs: one per pseudo-channel
      double pim = NearMemoryAttention.run(NearMemoryConfig.logicPim(), ONE_STACK, a).timeNs();
      double xpu = kvHeads == 8 ? Decode.RUN.result().timeNs()
          : XpuAttention.run(SLICE, ONE_STACK, a, AttentionKernel.UNFUSED).timeNs();
      assertTrue(pim < xpu, "group " + 32 / kvHeads + ": logic-pim " + pim + " ns, xpu " + xpu + " ns");
    }
  }
}
