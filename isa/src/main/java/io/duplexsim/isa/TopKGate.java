package io.duplexsim.isa;

/**
 * MoE router: softmax over {@code experts} logits per token and selection of the top {@code k}.
 * flops = tokens * experts * (5 + k) (softmax, then one compare per element per selection pass);
 * bytes = the logits read in {@code format} plus tokens * k (expert index, fp32 weight) = 8 bytes
 * each written.
 */
public record TopKGate(int id, Unit unit, IntSeq deps, int tokens, int experts, int k,
    TensorFormat format) implements Instruction {
  public TopKGate {
    Check.header(id, unit, deps);
    Check.positive("tokens", tokens);
    Check.positive("experts", experts);
    Check.positive("k", k);
    Check.that(k <= experts, "k", "at most experts (" + experts + ")", k);
    Check.notNull("format", format);
  }

  @Override
  public long flops() {
    return (long) tokens * experts * (5L + k);
  }

  @Override
  public long bytes() {
    return Check.bytes((double) tokens * experts, format.bytesPerElement()) + 8L * tokens * k;
  }

  @Override
  public TopKGate withHeader(int id, IntSeq deps) {
    return new TopKGate(id, unit, deps, tokens, experts, k, format);
  }
}
