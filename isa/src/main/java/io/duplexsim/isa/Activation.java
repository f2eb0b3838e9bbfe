package io.duplexsim.isa;

/**
 * An activation over {@code elements} output elements. flops per element: SILU 4 (exp, add,
 * divide, multiply), GELU 8 (tanh approximation), SWIGLU 5 (silu then the gate multiply). bytes:
 * SILU/GELU read and write each element; SWIGLU reads two inputs per output.
 */
public record Activation(int id, Unit unit, IntSeq deps, ActivationKind kind, long elements,
    TensorFormat format) implements Instruction {
  public Activation {
    Check.header(id, unit, deps);
    Check.notNull("kind", kind);
    Check.positive("elements", elements);
    Check.notNull("format", format);
  }

  @Override
  public long flops() {
    return switch (kind) {
      case SILU -> 4L * elements;
      case GELU -> 8L * elements;
      case SWIGLU -> 5L * elements;
    };
  }

  @Override
  public long bytes() {
    int passes = kind == ActivationKind.SWIGLU ? 3 : 2;
    return Check.bytes((double) passes * elements, format.bytesPerElement());
  }

  @Override
  public Activation withHeader(int id, IntSeq deps) {
    return new Activation(id, unit, deps, kind, elements, format);
  }
}
