package io.duplexsim.memory.standard;

/** The hierarchy of an HBM device, outermost first, named as the standard's data files name them. */
public enum Level {
  STACK("stack"),
  CHANNEL("channel"),
  PSEUDO_CHANNEL("pseudoChannel"),
  RANK("rank"),
  BANK_GROUP("bankGroup"),
  BANK("bank"),
  ROW("row"),
  COLUMN("column");

  private final String key;

  Level(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static Level byKey(String key) {
    for (Level l : values()) {
      if (l.key.equals(key)) {
        return l;
      }
    }
    return null;
  }
}
