package io.duplexsim.isa;

/** No work: ends when all its deps have ended, so later instructions can wait on one id. */
public record Barrier(int id, Unit unit, IntSeq deps) implements Instruction {
  public Barrier {
    Check.header(id, unit, deps);
  }

  @Override
  public long flops() {
    return 0;
  }

  @Override
  public long bytes() {
    return 0;
  }

  @Override
  public Barrier withHeader(int id, IntSeq deps) {
    return new Barrier(id, unit, deps);
  }
}
