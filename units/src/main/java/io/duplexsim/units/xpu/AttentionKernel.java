package io.duplexsim.units.xpu;

/** How {@link XpuAttention} runs attention on the xPU. */
public enum AttentionKernel {
  /**
   * One FlashAttention-2-style kernel ({@link FlashAttention}): S and P stay in the SM, so DRAM sees
   * only Q, K, V and O. The default.
   */
  FUSED,
  /** Three kernels (scores, softmax, context) with S and P written to and read from DRAM, for comparison. */
  UNFUSED
}
