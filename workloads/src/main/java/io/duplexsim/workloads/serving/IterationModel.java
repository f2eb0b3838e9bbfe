package io.duplexsim.workloads.serving;

import io.duplexsim.workloads.compiler.IterationBatch;

/**
 * Prices one iteration on a system: compile it for the system's devices and run the traces at a
 * fidelity (cycle, memo or roofline). The serving engine advances time by what this returns.
 */
public interface IterationModel {
  IterationCost run(IterationBatch batch);

  /** The fidelity mode's name, reported with every result. */
  String fidelity();
}
