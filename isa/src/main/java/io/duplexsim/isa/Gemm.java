package io.duplexsim.isa;

/**
 * Y[m,n] = X[m,k] W[k,n]: linear layers and MoE experts. There is no separate GEMV record: a GEMV
 * is a Gemm with small m ({@link #isGemv}), since units only care about m through Op/B.
 *
 * <p>flops = 2mkn. bytes = k*n weights at {@code weightFormat} (scales included) + m*k inputs and
 * m*n outputs at {@code activationFormat}, each rounded up. Placements are optional (null = the
 * executor decides).
 */
public record Gemm(int id, Unit unit, IntSeq deps, int m, int k, int n, TensorFormat weightFormat,
    TensorFormat activationFormat, Placement weights, Placement input, Placement output)
    implements Instruction {
  /** The largest m counted as a GEMV (one decode token per request in a batch of up to 8). */
  public static final int GEMV_MAX_M = 8;

  public Gemm {
    Check.header(id, unit, deps);
    Check.positive("m", m);
    Check.positive("k", k);
    Check.positive("n", n);
    Check.notNull("weightFormat", weightFormat);
    Check.notNull("activationFormat", activationFormat);
  }

  public boolean isGemv() {
    return m <= GEMV_MAX_M;
  }

  @Override
  public long flops() {
    return 2L * m * k * n;
  }

  public long weightBytes() {
    return Check.bytes((double) k * n, weightFormat.bytesPerElement());
  }

  @Override
  public long bytes() {
    double a = activationFormat.bytesPerElement();
    return weightBytes() + Check.bytes((double) m * k, a) + Check.bytes((double) m * n, a);
  }

  @Override
  public Gemm withHeader(int id, IntSeq deps) {
    return new Gemm(id, unit, deps, m, k, n, weightFormat, activationFormat, weights, input, output);
  }
}
