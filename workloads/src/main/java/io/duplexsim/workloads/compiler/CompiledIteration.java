package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.InstructionTrace;
import java.util.List;

/**
 * One iteration compiled for a system: an instruction trace per device (in device id order), and for
 * each device the category of every instruction ({@code categories.get(d)[i]} for instruction i of
 * device d's trace).
 */
public record CompiledIteration(IterationBatch batch, List<InstructionTrace> devices, List<OpCategory[]> categories) {
  public CompiledIteration {
    devices = List.copyOf(devices);
    categories = List.copyOf(categories);
    if (devices.size() != categories.size()) {
      throw new IllegalArgumentException("one category list per device expected");
    }
    for (int d = 0; d < devices.size(); d++) {
      if (devices.get(d).size() != categories.get(d).length) {
        throw new IllegalArgumentException("device " + d + ": " + devices.get(d).size() + " instructions but "
            + categories.get(d).length + " categories");
      }
    }
  }
}
