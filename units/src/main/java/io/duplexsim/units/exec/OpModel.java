package io.duplexsim.units.exec;

import io.duplexsim.isa.Instruction;
import io.duplexsim.units.OpResult;
import java.util.Collection;

/** Prices one instruction on its unit: what running it alone on the device costs. */
public interface OpModel {
  OpResult price(Instruction instruction);

  /**
   * Instructions about to be priced (an iteration's new ones): a model may work out their prices ahead,
   * several at once. Never changes a price, only when it is computed.
   */
  default void prefetch(Collection<Instruction> instructions) {}

  /** The fidelity mode's name (cycle, memo, ...), reported with every result. */
  String fidelity();
}
