package io.duplexsim.isa;

/**
 * Row softmax of a rows x cols matrix (unfused attention scores, LM-head sampling). flops = 5 per
 * element (max, subtract, exp, sum, divide); bytes = read and write every element in {@code format}.
 */
public record Softmax(int id, Unit unit, IntSeq deps, int rows, int cols, TensorFormat format)
    implements Instruction {
  public Softmax {
    Check.header(id, unit, deps);
    Check.positive("rows", rows);
    Check.positive("cols", cols);
    Check.notNull("format", format);
  }

  @Override
  public long flops() {
    return 5L * rows * cols;
  }

  @Override
  public long bytes() {
    return 2 * Check.bytes((double) rows * cols, format.bytesPerElement());
  }

  @Override
  public Softmax withHeader(int id, IntSeq deps) {
    return new Softmax(id, unit, deps, rows, cols, format);
  }
}
