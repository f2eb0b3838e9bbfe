package io.duplexsim.memory.controller;

import io.duplexsim.sim.InputException;

/** Which refresh command keeps the banks alive, and so how often and how much it blocks. */
public enum RefreshMode {
  /** REFab every tREFI: the whole pseudo-channel stalls for tRFC. */
  ALL_BANK("REFab"),
  /** REFpb to one bank every tREFI / banks, round-robin. */
  PER_BANK("REFpb"),
  /** REFsb to the same bank of every bank group, every tREFI / (ranks x banks), round-robin. */
  SAME_BANK("REFsb"),
  NONE(null);

  private final String command;

  RefreshMode(String command) {
    this.command = command;
  }

  public String command() {
    return command;
  }

  public static RefreshMode byName(String name) {
    return switch (name) {
      case "all-bank" -> ALL_BANK;
      case "per-bank" -> PER_BANK;
      case "same-bank" -> SAME_BANK;
      case "none" -> NONE;
      default -> throw new InputException("unknown refresh mode '" + name + "'; expected all-bank, per-bank, same-bank or none");
    };
  }
}
