package io.duplexsim.memory.controller;

import io.duplexsim.sim.InputException;

/** When a controller closes rows that no queued request needs. */
public enum PagePolicy {
  /** Rows stay open until a conflicting request needs the bank. */
  OPEN("open"),
  /** Close right after an access no queued request follows up (auto-precharge where defined). */
  CLOSED("closed"),
  /** Close a row left idle for a configured number of cycles with no queued hit. */
  ADAPTIVE("adaptive");

  private final String key;

  PagePolicy(String key) {
    this.key = key;
  }

  /** The name used on the command line and in config files. */
  public String key() {
    return key;
  }

  public static PagePolicy byName(String name) {
    for (PagePolicy p : values()) {
      if (p.key.equals(name)) {
        return p;
      }
    }
    throw new InputException("unknown page policy '" + name + "'; expected open, closed or adaptive");
  }
}
