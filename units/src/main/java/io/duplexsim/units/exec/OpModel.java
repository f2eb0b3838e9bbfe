package io.duplexsim.units.exec;

import io.duplexsim.isa.Instruction;
import io.duplexsim.units.OpResult;

/** Prices one instruction on its unit: what running it alone on the device costs. */
public interface OpModel {
  OpResult price(Instruction instruction);

  /** The fidelity mode's name (cycle, memo, ...), reported with every result. */
  String fidelity();
}
