package io.duplexsim.isa.exec;

import io.duplexsim.isa.Unit;

/** When one instruction ran, for timelines: start and end in ns from the start of the trace. */
public record InstructionTiming(int id, Unit unit, double startNs, double endNs) {
  public InstructionTiming {
    if (unit == null) {
      throw new IllegalArgumentException("unit is required");
    }
    if (!(startNs >= 0) || !(endNs >= startNs)) {
      throw new IllegalArgumentException(
          "instruction " + id + ": expected 0 <= start <= end, got " + startNs + ", " + endNs);
    }
  }

  public double durationNs() {
    return endNs - startNs;
  }
}
