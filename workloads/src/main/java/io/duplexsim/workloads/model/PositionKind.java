package io.duplexsim.workloads.model;

/**
 * How positions enter the model: rotary embeddings applied to Q and K (no weights), or a learned
 * position table added to the token embedding (OPT: max positions x d_model weights).
 */
public enum PositionKind {
  ROTARY,
  LEARNED
}
