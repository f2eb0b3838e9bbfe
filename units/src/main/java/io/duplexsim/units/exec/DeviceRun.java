package io.duplexsim.units.exec;

import io.duplexsim.isa.exec.ExecutionResult;
import io.duplexsim.units.OpResult;
import java.util.List;

/** A trace's execution and the priced result of each of its instructions (in trace order). */
public record DeviceRun(ExecutionResult execution, List<OpResult> instructions) {
  public DeviceRun {
    instructions = List.copyOf(instructions);
  }
}
