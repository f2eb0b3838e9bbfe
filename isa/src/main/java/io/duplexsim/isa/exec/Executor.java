package io.duplexsim.isa.exec;

import io.duplexsim.isa.InstructionTrace;

/**
 * Runs one device's instruction trace and reports time, unit occupancy, traffic and energy. The
 * cycle-level unit models and analytic modes ({@link SerialRooflineExecutor}) both implement it, so
 * validation can compare fidelity modes on the same trace.
 */
public interface Executor {
  ExecutionResult run(InstructionTrace trace);
}
