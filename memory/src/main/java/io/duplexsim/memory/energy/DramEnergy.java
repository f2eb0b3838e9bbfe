package io.duplexsim.memory.energy;

import io.duplexsim.memory.standard.DataPath;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.sim.InputException;
import io.duplexsim.sim.energy.EnergyLedger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Energy parameters of the memory system. Defaults are FGDRAM (MICRO 2017) figures as used by the
 * released Duplex simulator and AttAcc (hardware.md); every value can be overridden by key.
 *
 * @param actPj energy per row activation (per bank)
 * @param xpuArrayPjPerBit bank to global I/O for the xPU path: cell 0.44 + column decoder to
 *     bank-group mux 1.01 + bank-group mux to global I/O 1.23
 * @param logicPimArrayPjPerBit bank to the Logic-PIM TSVs: the paper's 1.81 pJ/b path minus the
 *     0.5 pJ/b TSV (derived)
 * @param bankgroupPimArrayPjPerBit bank to the bank-group I/O on the DRAM die (Bankgroup-PIM: 2.68)
 * @param bankPimArrayPjPerBit bank to the unit beside it (0.73, the whole Bank-PIM path)
 * @param tsvPjPerBit TSV crossing
 * @param interposerPjPerBit silicon-interposer I/O to the xPU
 * @param refreshCommandsPerWindow refresh commands per 32 ms retention window (JEDEC: 8192); each
 *     refresh command then refreshes rows / this many rows in each bank it reaches, each row costing
 *     one activation
 * @param backgroundMw static power per stack; 0 by default because no source gives HBM3's
 */
public record DramEnergy(
    double actPj,
    double xpuArrayPjPerBit,
    double logicPimArrayPjPerBit,
    double bankgroupPimArrayPjPerBit,
    double bankPimArrayPjPerBit,
    double tsvPjPerBit,
    double interposerPjPerBit,
    double refreshCommandsPerWindow,
    double backgroundMw) {

  public static DramEnergy defaults() {
    return new DramEnergy(909, 0.44 + 1.01 + 1.23, 1.81 - 0.5, 2.68, 0.73, 0.5, 0.3, 8192, 0);
  }

  /** Defaults with the given keys replaced; an unknown key or a negative value is an input error. */
  public static DramEnergy withOverrides(Map<String, Number> overrides) {
    DramEnergy d = defaults();
    Map<String, Double> v = new LinkedHashMap<>(d.toMap());
    overrides.forEach((k, x) -> {
      if (!v.containsKey(k)) {
        throw new InputException("unknown energy key 'energy." + k + "'; expected one of " + v.keySet());
      }
      double val = x.doubleValue();
      if (!(val >= 0) || Double.isInfinite(val)) {
        throw new InputException("energy." + k + " must be a non-negative number, got " + x);
      }
      v.put(k, val);
    });
    if (v.get("refreshCommandsPerWindow") <= 0) {
      throw new InputException("energy.refreshCommandsPerWindow must be positive");
    }
    return new DramEnergy(v.get("actPj"), v.get("xpuArrayPjPerBit"), v.get("logicPimArrayPjPerBit"),
        v.get("bankgroupPimArrayPjPerBit"), v.get("bankPimArrayPjPerBit"), v.get("tsvPjPerBit"), v.get("interposerPjPerBit"),
        v.get("refreshCommandsPerWindow"), v.get("backgroundMw"));
  }

  /**
   * Posts the energy of this much activity to {@code ledger}: banks activated and refreshed, bytes moved
   * per data path ({@code bytesByPath[path.ordinal()]}), bytes that crossed the TSVs, and {@code ns} of
   * background time over {@code stacks} stacks. The whole run's total and an epoch's share are priced alike.
   */
  public void post(EnergyLedger ledger, Organization org, long activatedBanks, long refreshedBanks, long[] bytesByPath,
      long tsvBytes, double ns, int stacks) {
    ledger.add("dram.activate", activatedBanks * actPj);
    double rowsPerRefresh = org.rows() / refreshCommandsPerWindow;
    ledger.add("dram.refresh", refreshedBanks * rowsPerRefresh * actPj);
    long xpuBits = 8 * bytesByPath[DataPath.XPU.ordinal()];
    ledger.add("dram.array.xpu", xpuBits * xpuArrayPjPerBit);
    ledger.add("dram.array.logicPim", 8 * bytesByPath[DataPath.LOGIC_PIM.ordinal()] * logicPimArrayPjPerBit);
    ledger.add("dram.array.bankgroupPim", 8 * bytesByPath[DataPath.BANKGROUP_PIM.ordinal()] * bankgroupPimArrayPjPerBit);
    ledger.add("dram.array.bankPim", 8 * bytesByPath[DataPath.BANK_PIM.ordinal()] * bankPimArrayPjPerBit);
    ledger.add("tsv", 8 * tsvBytes * tsvPjPerBit);
    ledger.add("interposer", xpuBits * interposerPjPerBit);
    // mW x ns = pJ
    ledger.add("dram.background", backgroundMw * stacks * ns);
  }

  public Map<String, Double> toMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("actPj", actPj);
    m.put("xpuArrayPjPerBit", xpuArrayPjPerBit);
    m.put("logicPimArrayPjPerBit", logicPimArrayPjPerBit);
    m.put("bankgroupPimArrayPjPerBit", bankgroupPimArrayPjPerBit);
    m.put("bankPimArrayPjPerBit", bankPimArrayPjPerBit);
    m.put("tsvPjPerBit", tsvPjPerBit);
    m.put("interposerPjPerBit", interposerPjPerBit);
    m.put("refreshCommandsPerWindow", refreshCommandsPerWindow);
    m.put("backgroundMw", backgroundMw);
    return m;
  }
}
