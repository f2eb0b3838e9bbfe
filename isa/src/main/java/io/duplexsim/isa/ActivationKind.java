package io.duplexsim.isa;

/** FFN activation functions; SWIGLU is the gated silu(a) * b of LLaMA-style FFNs. */
public enum ActivationKind {
  SILU,
  GELU,
  SWIGLU
}
