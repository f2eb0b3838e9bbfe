package io.duplexsim.workloads.model;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * DeepSeek's multi-head latent attention (DeepSeek-V2 paper, arXiv 2405.04434; HF config names).
 * Queries go through an optional low-rank bottleneck ({@code qLoraRank}, 0 = none as in
 * DeepSeek-V2-Lite); keys and values are decompressed per head from a {@code kvLoraRank} latent,
 * which is what the cache holds per token, together with one shared {@code qkRopeHeadDim} rotary key.
 */
public record MlaSpec(int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim, int vHeadDim) {
  public MlaSpec {
    checkArgument(qLoraRank >= 0, "qLoraRank %s < 0", qLoraRank);
    checkArgument(kvLoraRank > 0 && qkNopeHeadDim > 0 && qkRopeHeadDim > 0 && vHeadDim > 0,
        "MLA dimensions must be positive");
  }

  /** Query/key head dimension: the non-rotary part plus the rotary part (128 + 64 in DeepSeek-V3). */
  public int qkHeadDim() {
    return qkNopeHeadDim + qkRopeHeadDim;
  }

  /** Cached elements per token per layer: the latent plus the shared rotary key (512 + 64). */
  public int cachedPerToken() {
    return kvLoraRank + qkRopeHeadDim;
  }
}
