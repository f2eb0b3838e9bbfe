package io.duplexsim.isa;

/** Normalisation layers: RMSNorm (LLaMA family) or LayerNorm (with mean and bias). */
public enum NormKind {
  RMSNORM,
  LAYERNORM
}
