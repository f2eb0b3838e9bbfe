package io.duplexsim.isa;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered instructions of one device. Ids are unique and dependencies name instructions that
 * appear earlier, so the trace is a DAG in issue order and an executor can schedule it in one pass.
 */
public record InstructionTrace(TraceHeader header, List<Instruction> instructions) {
  public InstructionTrace {
    Check.notNull("header", header);
    instructions = List.copyOf(Check.notNull("instructions", instructions));
    Map<Integer, Integer> seen = new HashMap<>();
    for (int i = 0; i < instructions.size(); i++) {
      Instruction ins = instructions.get(i);
      IntSeq deps = ins.deps();
      for (int j = 0; j < deps.size(); j++) {
        if (!seen.containsKey(deps.get(j))) {
          throw new IllegalArgumentException("field 'deps' expected ids of earlier instructions,"
              + " got " + deps.get(j) + " (instruction " + ins.id() + ")");
        }
      }
      if (seen.put(ins.id(), i) != null) {
        throw new IllegalArgumentException(
            "field 'id' expected a unique id, got " + ins.id() + " again");
      }
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
