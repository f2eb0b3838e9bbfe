package io.duplexsim.isa;

/**
 * One step of a device's work, issued to one {@link Unit}. Every kind carries an id, the unit and
 * the ids it waits for ({@link #deps}, a join: it starts after all of them end), and reports the
 * arithmetic ({@link #flops}) and memory traffic ({@link #bytes}) its shape and formats imply, so
 * unit models and rooflines share one definition of the work.
 *
 * <p>The record components are also the trace schema: trace codecs read and write them by name
 * and in declaration order, so adding, removing or reordering a component needs a trace version
 * bump, and no component may be named "op" (the JSON key of the kind).
 */
public sealed interface Instruction
    permits Gemm, Attention, Softmax, Norm, Activation, Rotary, TopKGate, Elementwise, KvAppend,
        KvRead, Collective, Load, Store, Barrier {
  int id();

  Unit unit();

  IntSeq deps();

  /** Arithmetic operations (a multiply-add is 2). */
  long flops();

  /** Bytes moved to or from memory (or over the link), with the operands' formats. */
  long bytes();

  /** The same operation under another id and dependencies (a shape's key ignores both). */
  Instruction withHeader(int id, IntSeq deps);

  /** Operations per byte, the Duplex criterion for choosing xPU or PIM; 0 when no bytes move. */
  default double opsPerByte() {
    long b = bytes();
    return b == 0 ? 0 : (double) flops() / b;
  }
}
