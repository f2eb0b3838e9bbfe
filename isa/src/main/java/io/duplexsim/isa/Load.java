package io.duplexsim.isa;

/**
 * Reads {@code bytes} from {@code placement} into the unit (weights or activations staged ahead of use). flops = 0; bytes = {@code bytes}, at most the placement's size.
 */
public record Load(int id, Unit unit, IntSeq deps, long bytes, Placement placement)
    implements Instruction {
  public Load {
    Check.header(id, unit, deps);
    Check.positive("bytes", bytes);
    Check.notNull("placement", placement);
    Check.that(bytes <= placement.bytes(), "bytes",
        "at most the placement's " + placement.bytes() + " bytes", bytes);
  }

  @Override
  public long flops() {
    return 0;
  }

  @Override
  public Load withHeader(int id, IntSeq deps) {
    return new Load(id, unit, deps, bytes, placement);
  }
}
