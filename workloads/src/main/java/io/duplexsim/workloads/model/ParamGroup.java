package io.duplexsim.workloads.model;

/**
 * The kinds of weights a model holds, as the layer compiler streams them. Only the linear layers
 * inside transformer blocks are quantized by a weight format (policies.md); norms, the MoE router,
 * embeddings and the LM head stay 16-bit (the router too: quantized checkpoints such as
 * DeepSeek-V3's FP8 keep the gate in high precision, since routing is sensitive to it).
 */
public enum ParamGroup {
  /** Q, K, V and output projections (MLA: its down/up projections and latent norms), with biases. */
  ATTENTION(true),
  /** Pre-attention and pre-FFN norms of every block, plus the final norm. */
  NORM(false),
  /** The FFN of dense blocks. */
  DENSE_FFN(true),
  /** The MoE gate: d_model x experts. */
  ROUTER(false),
  /** All routed experts of MoE blocks. */
  ROUTED_EXPERTS(true),
  /** Always-active shared experts of MoE blocks (DeepSeek). */
  SHARED_EXPERTS(true),
  /** Token embedding, plus the learned position table where there is one. */
  EMBEDDING(false),
  /** The vocab x d_model output projection. Read every step even when tied to the embedding. */
  LM_HEAD(false);

  private final boolean quantized;

  ParamGroup(boolean quantized) {
    this.quantized = quantized;
  }

  /** Whether a weight format's weight type applies (else the tensors stay BF16). */
  public boolean quantized() {
    return quantized;
  }

  /** True for groups that live inside transformer blocks (counted per layer). */
  public boolean perBlock() {
    return this != EMBEDDING && this != LM_HEAD;
  }
}
