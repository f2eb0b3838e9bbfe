package io.duplexsim.memory.controller;

import io.duplexsim.sim.InputException;

/** Which refresh command keeps the banks alive, and so how often and how much it blocks. */
public enum RefreshMode {
  /** REFab every tREFI: the whole pseudo-channel stalls for tRFC. */
  ALL_BANK("all-bank", "REFab"),
  /** REFpb to one bank every tREFI / banks, round-robin. */
  PER_BANK("per-bank", "REFpb"),
  /** REFsb to the same bank of every bank group, every tREFI / (ranks x banks), round-robin. */
  SAME_BANK("same-bank", "REFsb"),
  NONE("none", null);

  private final String key;
  private final String command;

  RefreshMode(String key, String command) {
    this.key = key;
    this.command = command;
  }

  /** The name used on the command line and in config files. */
  public String key() {
    return key;
  }

  public String command() {
    return command;
  }

  public static RefreshMode byName(String name) {
    for (RefreshMode m : values()) {
      if (m.key.equals(name)) {
        return m;
      }
    }
    throw new InputException("unknown refresh mode '" + name + "'; expected all-bank, per-bank, same-bank or none");
  }
}
