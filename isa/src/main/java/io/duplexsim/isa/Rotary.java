package io.duplexsim.isa;

/**
 * Rotary position embedding of {@code tokens} x {@code heads} vectors of {@code headDim}. flops = 3
 * per element (x*cos + rotate(x)*sin); bytes = read and write every element plus the cos/sin table
 * (tokens * headDim elements) in {@code format}.
 */
public record Rotary(int id, Unit unit, IntSeq deps, int tokens, int heads, int headDim,
    TensorFormat format) implements Instruction {
  public Rotary {
    Check.header(id, unit, deps);
    Check.positive("tokens", tokens);
    Check.positive("heads", heads);
    Check.positive("headDim", headDim);
    Check.that(headDim % 2 == 0, "headDim", "an even integer", headDim);
    Check.notNull("format", format);
  }

  @Override
  public long flops() {
    return 3L * tokens * heads * headDim;
  }

  @Override
  public long bytes() {
    double elems = 2.0 * tokens * heads * headDim + (double) tokens * headDim;
    return Check.bytes(elems, format.bytesPerElement());
  }

  @Override
  public Rotary withHeader(int id, IntSeq deps) {
    return new Rotary(id, unit, deps, tokens, heads, headDim, format);
  }
}
