package io.duplexsim.workloads.model;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The attention block's shape: query heads, KV heads and head dimension, plus the MLA parameters
 * when the model uses latent attention ({@code mla} null otherwise). For MLA, {@code kvHeads} equals
 * {@code heads} (each head gets its own decompressed K and V) and {@code headDim} is the value
 * head dimension.
 */
public record AttentionSpec(int heads, int kvHeads, int headDim, MlaSpec mla) {
  public AttentionSpec {
    checkArgument(heads > 0 && kvHeads > 0 && headDim > 0, "head counts and dimension must be positive");
    checkArgument(heads % kvHeads == 0, "heads %s not divisible by kvHeads %s", heads, kvHeads);
  }

  public AttentionKind kind() {
    if (mla != null) {
      return AttentionKind.MLA;
    }
    if (kvHeads == heads) {
      return AttentionKind.MHA;
    }
    return kvHeads == 1 ? AttentionKind.MQA : AttentionKind.GQA;
  }

  /** Query heads per KV head: decode attention's Op/B (duplex-paper.md). */
  public int groupSize() {
    return heads / kvHeads;
  }

  /** Elements cached per token per layer: K and V of every KV head, or MLA's latent + rotary key. */
  public long kvElementsPerToken() {
    return mla != null ? mla.cachedPerToken() : 2L * kvHeads * headDim;
  }

  /** Weights of one block's attention, biases and (MLA) latent norms included. */
  public long params(int dModel, BiasKind bias) {
    long d = dModel;
    if (mla != null) {
      long qHead = (long) heads * mla.qkHeadDim();
      long q = mla.qLoraRank() == 0 ? d * qHead
          : d * mla.qLoraRank() + mla.qLoraRank() + (long) mla.qLoraRank() * qHead; // down, norm, up
      long kvDown = d * mla.cachedPerToken() + mla.kvLoraRank(); // latent + rotary key, latent norm
      long kvUp = (long) mla.kvLoraRank() * heads * (mla.qkNopeHeadDim() + mla.vHeadDim());
      long out = (long) heads * mla.vHeadDim() * d;
      return q + kvDown + kvUp + out; // DeepSeek's MLA has no biases
    }
    long qDim = (long) heads * headDim;
    long kvDim = (long) kvHeads * headDim;
    long weights = d * qDim + 2 * d * kvDim + qDim * d;
    long biases = switch (bias) {
      case NONE -> 0;
      case QKV -> qDim + 2 * kvDim;
      case ALL -> qDim + 2 * kvDim + d;
    };
    return weights + biases;
  }
}
