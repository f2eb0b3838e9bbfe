package io.duplexsim.isa;

/**
 * Reads the K and V of {@code tokens} cached tokens (KV load without attention, e.g. swap-in or chunk-cache preload) for {@code layers} layers; {@code bytesPerToken} is per layer (2 * kvHeads * headDim *
 * element size). flops = 0; bytes = tokens * layers * bytesPerToken. The placement is optional.
 */
public record KvRead(int id, Unit unit, IntSeq deps, int tokens, int layers, long bytesPerToken,
    Placement placement) implements Instruction {
  public KvRead {
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
  public KvRead withHeader(int id, IntSeq deps) {
    return new KvRead(id, unit, deps, tokens, layers, bytesPerToken, placement);
  }
}
