package io.duplexsim.units.exec;

import io.duplexsim.isa.Attention;
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

  /**
   * Attention co-processing (Duplex+PE): an attention on the xPU and a decode attention on a near-memory
   * unit that start together, priced as they run at once, sharing the pseudo-channels' controllers and
   * command buses; {@code xpuAlone} and {@code nearMemoryAlone} are their prices alone. Returns the two
   * prices in that order, or null when the model prices them alone (memo and roofline do).
   */
  default OpResult[] priceTogether(Attention onXpu, Attention onNearMemory, OpResult xpuAlone,
      OpResult nearMemoryAlone) {
    return null;
  }

  /** The fidelity mode's name (cycle, memo, ...), reported with every result. */
  String fidelity();
}
