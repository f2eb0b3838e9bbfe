package io.duplexsim.isa;

/**
 * An element-wise op over {@code elements} outputs. flops = kind.flopsPerElement * elements; bytes =
 * (kind.inputs + 1) * elements in {@code format}.
 */
public record Elementwise(int id, Unit unit, IntSeq deps, ElementwiseOp kind, long elements,
    TensorFormat format) implements Instruction {
  public Elementwise {
    Check.header(id, unit, deps);
    Check.notNull("kind", kind);
    Check.positive("elements", elements);
    Check.notNull("format", format);
  }

  @Override
  public long flops() {
    return kind.flopsPerElement() * elements;
  }

  @Override
  public long bytes() {
    return Check.bytes((double) (kind.inputs() + 1) * elements, format.bytesPerElement());
  }

  @Override
  public Elementwise withHeader(int id, IntSeq deps) {
    return new Elementwise(id, unit, deps, kind, elements, format);
  }
}
