package io.duplexsim.isa.trace;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.sim.InputException;
import java.util.Set;

/** The ordering rules both trace readers enforce: ids unique, dependencies on earlier instructions. */
final class TraceOrder {
  private TraceOrder() {}

  /**
   * Checks {@code ins} against the ids read so far and records its id.
   *
   * @param where the "FILE:LINE: " (or "FILE:#N: ") prefix of error messages
   */
  static void accept(Set<Integer> ids, Instruction ins, String where) {
    IntSeq deps = ins.deps();
    for (int i = 0; i < deps.size(); i++) {
      if (!ids.contains(deps.get(i))) {
        throw new InputException(where + "field 'deps' expected ids of earlier instructions, got " + deps.get(i));
      }
    }
    if (!ids.add(ins.id())) {
      throw new InputException(where + "field 'id' expected a unique id, got " + ins.id() + " again");
    }
  }
}
