package io.duplexsim.isa;

/**
 * The unit an instruction runs on: the xPU, Logic-PIM on the HBM logic die, Bank-PIM beside each
 * bank, Bankgroup-PIM on the DRAM die, or the inter-device link (collectives).
 */
public enum Unit {
  XPU,
  LOGIC_PIM,
  BANK_PIM,
  BANKGROUP_PIM,
  LINK;

  /** The trace name: xpu, logic-pim, bank-pim, bankgroup-pim, link. */
  public String label() {
    return Names.of(this);
  }

  /** The unit named {@code label}, or IllegalArgumentException listing the names. */
  public static Unit parse(String label) {
    Unit u = Names.parse(Unit.class, label);
    if (u == null) {
      throw new IllegalArgumentException(
          "expected a unit (" + Names.choices(Unit.class) + "), got '" + label + "'");
    }
    return u;
  }
}
