package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import java.util.List;

/**
 * A {@link LayerSegment} placed in a device's trace: its first instruction gets id {@code base}, and
 * its inputs are bound to the ids of earlier instructions ({@link TraceBuilder#NONE} for an input the
 * segment never names).
 */
public record SegmentPlacement(LayerSegment segment, int base, int[] inputIds) {
  /** The trace id of the segment's local id {@code local}. */
  public int id(int local) {
    int inputs = segment.inputs();
    if (local == TraceBuilder.NONE) {
      return TraceBuilder.NONE; // a segment with nothing before it that emitted nothing
    }
    return local < inputs ? inputIds[local] : base + local - inputs;
  }

  /** The trace id of the segment's result. */
  public int outputId() {
    return id(segment.output());
  }

  /** Appends the segment's instructions, renumbered to trace ids, to {@code out}. */
  void materialise(List<Instruction> out) {
    for (int i = 0; i < segment.size(); i++) {
      Instruction ins = segment.instruction(i);
      IntSeq local = ins.deps();
      int[] deps = new int[local.size()];
      for (int k = 0; k < deps.length; k++) {
        deps[k] = id(local.get(k));
      }
      out.add(ins.withHeader(base + i, IntSeq.of(deps)));
    }
  }
}
