package io.duplexsim.isa;

/** Whether an attention batch is prompt processing or token generation (Duplex splits on this). */
public enum AttentionPhase {
  PREFILL,
  DECODE
}
