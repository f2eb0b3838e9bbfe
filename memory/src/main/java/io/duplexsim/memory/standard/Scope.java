package io.duplexsim.memory.standard;

/**
 * Which banks of a pseudo-channel one command acts on, given the rank, bank group and bank of its
 * address. Multi-bank scopes are how refresh and the PIM extensions address several banks at once.
 */
public enum Scope {
  /** One bank. */
  BANK("bank"),
  /** The same bank index in every bank group of the rank (REFsb). */
  SAME_BANK("sameBank"),
  /** One bank bundle: its banks in every bank group of the rank (Logic-PIM ALL-*). */
  BUNDLE("bundle"),
  /** Every bank of the rank. */
  RANK("rank"),
  /** Every bank of the pseudo-channel (REFab, PREA, Bank-PIM all-bank commands). */
  PSEUDO_CHANNEL("pseudoChannel");

  private final String key;

  Scope(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static Scope byKey(String key) {
    for (Scope s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }
}
