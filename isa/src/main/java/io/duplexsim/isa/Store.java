package io.duplexsim.isa;

/**
 * Writes {@code bytes} from the unit to {@code placement}. flops = 0; bytes = {@code bytes}, at most the placement's size.
 */
public record Store(int id, Unit unit, IntSeq deps, long bytes, Placement placement)
    implements Instruction {
  public Store {
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
  public Store withHeader(int id, IntSeq deps) {
    return new Store(id, unit, deps, bytes, placement);
  }
}
