package io.duplexsim.memory.controller;

import io.duplexsim.sim.InputException;

/** When a controller closes rows that no queued request needs. */
public enum PagePolicy {
  /** Rows stay open until a conflicting request needs the bank. */
  OPEN,
  /** Close right after an access no queued request follows up (auto-precharge where defined). */
  CLOSED,
  /** Close a row left idle for a configured number of cycles with no queued hit. */
  ADAPTIVE;

  public static PagePolicy byName(String name) {
    return switch (name) {
      case "open" -> OPEN;
      case "closed" -> CLOSED;
      case "adaptive" -> ADAPTIVE;
      default -> throw new InputException("unknown page policy '" + name + "'; expected open, closed or adaptive");
    };
  }
}
