package io.duplexsim.isa;

/**
 * Normalisation of {@code tokens} vectors of width {@code hidden}. flops per element: RMSNorm 4
 * (square, accumulate, scale by rsqrt, multiply by gamma), LayerNorm 7 (adds mean, subtract, bias).
 * bytes = read and write tokens*hidden plus the parameters (gamma; LayerNorm also beta) in
 * {@code format}.
 */
public record Norm(int id, Unit unit, IntSeq deps, NormKind kind, int tokens, int hidden,
    TensorFormat format) implements Instruction {
  public Norm {
    Check.header(id, unit, deps);
    Check.notNull("kind", kind);
    Check.positive("tokens", tokens);
    Check.positive("hidden", hidden);
    Check.notNull("format", format);
  }

  @Override
  public long flops() {
    return (kind == NormKind.RMSNORM ? 4L : 7L) * tokens * hidden;
  }

  @Override
  public long bytes() {
    int params = kind == NormKind.RMSNORM ? 1 : 2;
    return Check.bytes(2.0 * tokens * hidden + (double) params * hidden, format.bytesPerElement());
  }

  @Override
  public Norm withHeader(int id, IntSeq deps) {
    return new Norm(id, unit, deps, kind, tokens, hidden, format);
  }
}
