package io.duplexsim.workloads.model;

import io.duplexsim.isa.ActivationKind;

/**
 * The feed-forward block: gated (gate, up, down: 3 matrices, as LLaMA, Mixtral, Gemma) or plain
 * (up, down: 2 matrices, as OPT). Experts use the same kind as the model's dense FFN.
 */
public enum FfnKind {
  /** silu(x W_gate) * (x W_up), then W_down. */
  SWIGLU(true, ActivationKind.SWIGLU),
  /** gelu(x W_gate) * (x W_up), then W_down (Gemma). */
  GEGLU(true, ActivationKind.GELU),
  /** relu(x W_up), then W_down (OPT). The isa has no ReLU op yet, so the compiler must map it. */
  RELU(false, null),
  /** gelu(x W_up), then W_down. */
  GELU(false, ActivationKind.GELU);

  private final boolean gated;
  private final ActivationKind activation;

  FfnKind(boolean gated, ActivationKind activation) {
    this.gated = gated;
    this.activation = activation;
  }

  public boolean gated() {
    return gated;
  }

  /** Weight matrices per FFN (or per expert): 3 when gated, else 2. */
  public int matrices() {
    return gated ? 3 : 2;
  }

  /** The isa activation applied between the matrices; null for ReLU, which the isa lacks. */
  public ActivationKind activation() {
    return activation;
  }
}
