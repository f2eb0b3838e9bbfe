package io.duplexsim.workloads.model;

/**
 * How queries share keys and values. MHA, GQA and MQA follow from the head counts; MLA (DeepSeek's
 * multi-head latent attention) caches one compressed latent per token and is declared explicitly.
 */
public enum AttentionKind {
  /** One KV head per query head. */
  MHA,
  /** Groups of query heads share a KV head. */
  GQA,
  /** All query heads share one KV head. */
  MQA,
  /** Multi-head latent attention: K and V are decompressed from a cached low-rank latent. */
  MLA
}
