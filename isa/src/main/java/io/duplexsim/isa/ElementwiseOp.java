package io.duplexsim.isa;

/** Element-wise operations: ADD (residual), MUL (gating), SCALE (by a scalar), COPY (gather). */
public enum ElementwiseOp {
  ADD(2, 1),
  MUL(2, 1),
  SCALE(1, 1),
  COPY(1, 0);

  private final int inputs;
  private final int flopsPerElement;

  ElementwiseOp(int inputs, int flopsPerElement) {
    this.inputs = inputs;
    this.flopsPerElement = flopsPerElement;
  }

  /** Tensors read per output element. */
  public int inputs() {
    return inputs;
  }

  public int flopsPerElement() {
    return flopsPerElement;
  }
}
