package io.duplexsim.workloads.model;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Mixture of experts: {@code experts} routed experts of FFN size {@code expertFfnSize}, {@code topK}
 * chosen per token, plus {@code sharedExperts} always-active ones of the same size (DeepSeek).
 * Which blocks are MoE: none of the first {@code firstDenseLayers} (DeepSeek-V3: 3), then every
 * {@code moeEvery}-th block (1: all, as Mixtral; 2: every other, as GLaM, whose first block is dense).
 */
public record MoeSpec(int experts, int topK, int expertFfnSize, int sharedExperts, int firstDenseLayers,
    int moeEvery) {
  public MoeSpec {
    checkArgument(experts > 0 && expertFfnSize > 0 && moeEvery > 0, "MoE sizes must be positive");
    checkArgument(topK > 0 && topK <= experts, "topK %s not in 1..%s", topK, experts);
    checkArgument(sharedExperts >= 0 && firstDenseLayers >= 0, "counts must not be negative");
  }

  /** Whether block {@code layer} (0-based) is an MoE block. */
  public boolean isMoeLayer(int layer) {
    return layer >= firstDenseLayers && (layer - firstDenseLayers + 1) % moeEvery == 0;
  }
}
