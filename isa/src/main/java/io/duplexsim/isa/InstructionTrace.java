package io.duplexsim.isa;

import java.util.BitSet;
import java.util.List;

/**
 * The ordered instructions of one device. Ids are unique and dependencies name instructions that
 * appear earlier, so the trace is a DAG in issue order and an executor can schedule it in one pass.
 */
public record InstructionTrace(TraceHeader header, List<Instruction> instructions) {
  public InstructionTrace {
    Check.notNull("header", header);
    instructions = List.copyOf(Check.notNull("instructions", instructions));
    BitSet seen = new BitSet(); // ids are non-negative (every instruction checks its own)
    for (int i = 0; i < instructions.size(); i++) {
      Instruction ins = instructions.get(i);
      IntSeq deps = ins.deps();
      for (int j = 0; j < deps.size(); j++) {
        if (!seen.get(deps.get(j))) {
          throw new IllegalArgumentException("field 'deps' expected ids of earlier instructions,"
              + " got " + deps.get(j) + " (instruction " + ins.id() + ")");
        }
      }
      if (seen.get(ins.id())) {
        throw new IllegalArgumentException(
            "field 'id' expected a unique id, got " + ins.id() + " again");
      }
      seen.set(ins.id());
    }
  }

  public int size() {
    return instructions.size();
  }

  public Instruction get(int index) {
    return instructions.get(index);
  }

  public long totalFlops() {
    return instructions.stream().mapToLong(Instruction::flops).sum();
  }

  public long totalBytes() {
    return instructions.stream().mapToLong(Instruction::bytes).sum();
  }
}
