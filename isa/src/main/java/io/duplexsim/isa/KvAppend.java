package io.duplexsim.isa;

/**
 * Writes the K and V of {@code tokens} new tokens into the KV cache for {@code layers} layers; {@code bytesPerToken} is per layer (2 * kvHeads * headDim *
 * element size). flops = 0; bytes = tokens * layers * bytesPerToken. The placement is optional.
 */
public record KvAppend(int id, Unit unit, IntSeq deps, int tokens, int layers, long bytesPerToken,
    Placement placement) implements Instruction {
  public KvAppend {
    Check.header(id, unit, deps);
    Check.positive("tokens", tokens);
    Check.positive("layers", layers);
    Check.positive("bytesPerToken", bytesPerToken);
  }

  @Override
  public long flops() {
    return 0;
  }

  @Override
  public long bytes() {
    return (long) tokens * layers * bytesPerToken;
  }

  @Override
  public KvAppend withHeader(int id, IntSeq deps) {
    return new KvAppend(id, unit, deps, tokens, layers, bytesPerToken, placement);
  }
}
