package io.duplexsim.memory.standard;

/** The route data takes after leaving the banks; each has its own energy per bit and TSV use. */
public enum DataPath {
  /** Pseudo-channel pins, conventional TSVs, interposer: the xPU's off-stack path. */
  XPU("xpu"),
  /** Bank-bundle reads through the wide TSV channel to the logic die (Duplex Logic-PIM). */
  LOGIC_PIM("logicPim"),
  /** Bankgroup-PIM units beside the bank-group I/O on the DRAM die: no TSV crossing. */
  BANKGROUP_PIM("bankgroupPim"),
  /** Bank-PIM units beside each bank: data never leaves the DRAM die. */
  BANK_PIM("bankPim");

  private final String key;

  DataPath(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static DataPath byKey(String key) {
    for (DataPath p : values()) {
      if (p.key.equals(key)) {
        return p;
      }
    }
    return null;
  }
}
