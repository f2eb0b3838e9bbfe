package io.duplexsim.memory;

import io.duplexsim.memory.controller.ScopeTargets;
import io.duplexsim.memory.energy.DramEnergy;
import io.duplexsim.memory.standard.CommandSpec;
import io.duplexsim.memory.standard.DataPath;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.sim.InputException;
import io.duplexsim.sim.energy.EnergyLedger;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run cut into epochs of a fixed number of command-clock cycles (DRAMsim3's epoch statistics): per
 * epoch, over every pseudo-channel, the data its column commands moved, its reads and writes, its row
 * activations, precharges and refreshes, and its energy and power, priced as the whole run's energy is
 * ({@link DramEnergy#post}), so the epochs add up to the run's figures. Everything is counted at each
 * command's issue cycle. It watches the command stream, so it changes nothing in the run; a lane run
 * shows it every command in one-thread order.
 */
public final class EpochStats implements CommandObserver {
  /**
   * One epoch's counts over its cycles ({@code cycles}: the last epoch ends with the run);
   * {@code bandwidthGBps} is its bytes over its time, {@code powerW} its energy over its time.
   */
  public record Epoch(long startCycle, long cycles, double startNs, double bandwidthGBps, long bytes, long reads,
      long writes, long activates, long precharges, long refreshes, double energyPj, double powerW) {

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("start_cycle", startCycle);
      m.put("cycles", cycles);
      m.put("start_ns", startNs);
      m.put("bandwidth_GBps", bandwidthGBps);
      m.put("bytes", bytes);
      m.put("reads", reads);
      m.put("writes", writes);
      m.put("activates", activates);
      m.put("precharges", precharges);
      m.put("refreshes", refreshes);
      m.put("energy_pJ", energyPj);
      m.put("power_W", powerW);
      return m;
    }
  }

  /** More epochs than a chart or a table can show, and 100 bytes each. */
  static final long MAX_EPOCHS = 10_000_000;

  // Counters per epoch, at [epoch * KINDS + kind]; the bytes of each data path follow the command counts.
  private static final int READS = 0;
  private static final int WRITES = 1;
  private static final int ACTIVATES = 2;
  private static final int PRECHARGES = 3;
  private static final int REFRESHES = 4;
  private static final int ACTIVATED_BANKS = 5;
  private static final int REFRESHED_BANKS = 6;
  private static final int PATH_BYTES = 7;
  private static final int KINDS = PATH_BYTES + DataPath.values().length;

  private final Organization org;
  private final DramEnergy energy;
  private final int stacks;
  private final long epochCycles;
  private final double tCKns;
  /** Per command: what it counts as ({@link #READS} ...; -1: nothing), the banks it reaches, its data's path and bytes. */
  private final int[] kindOf;
  private final int[] banksOf;
  private final int[] pathOf;
  private final long[] bytesOf;
  private final LongArrayList counts = new LongArrayList();

  public EpochStats(DramStandard standard, DramEnergy energy, int stacks, long epochCycles) {
    if (epochCycles <= 0) {
      throw new InputException("epoch-cycles must be a positive number of cycles, got " + epochCycles);
    }
    this.org = standard.org();
    this.energy = energy;
    this.stacks = stacks;
    this.epochCycles = epochCycles;
    this.tCKns = standard.tCKns();
    int n = standard.commands().size();
    kindOf = new int[n];
    banksOf = new int[n];
    pathOf = new int[n];
    bytesOf = new long[n];
    for (int c = 0; c < n; c++) {
      CommandSpec spec = standard.command(c);
      kindOf[c] = spec.access() == CommandSpec.Access.READ ? READS
          : spec.access() == CommandSpec.Access.WRITE ? WRITES
          : spec.refresh() ? REFRESHES
          : spec.opens() ? ACTIVATES
          : spec.closes() ? PRECHARGES : -1;
      banksOf[c] = ScopeTargets.banksReached(org, spec.scope()); // as the controllers count them
      pathOf[c] = spec.path().ordinal();
      bytesOf[c] = spec.isAccess() ? (long) org.accessBytes() * banksOf[c] : 0;
    }
  }

  @Override
  public void onCommand(long cycle, int pseudoChannel, int command, int rank, int bankGroup, int bank, int row,
      int column) {
    int kind = kindOf[command];
    if (kind < 0) {
      return;
    }
    long epoch = cycle / epochCycles;
    if (epoch >= MAX_EPOCHS) {
      throw new InputException("epoch-cycles " + epochCycles + " cuts this run into more than " + MAX_EPOCHS
          + " epochs (cycle " + cycle + "); use a longer epoch");
    }
    int base = (int) epoch * KINDS;
    while (counts.size() < base + KINDS) {
      counts.add(0);
    }
    long[] a = counts.elements();
    a[base + kind]++;
    a[base + PATH_BYTES + pathOf[command]] += bytesOf[command];
    if (kind == ACTIVATES) {
      a[base + ACTIVATED_BANKS] += banksOf[command];
    } else if (kind == REFRESHES) {
      a[base + REFRESHED_BANKS] += banksOf[command];
    }
  }

  /** The epochs of a run of {@code cycles} cycles (its figures' {@code cycles}), quiet ones included. */
  public List<Epoch> epochs(long cycles) {
    int n = (int) ((cycles + epochCycles - 1) / epochCycles);
    List<Epoch> out = new ArrayList<>(n);
    long[] a = counts.elements();
    long[] bytesByPath = new long[DataPath.values().length];
    for (int e = 0; e < n; e++) {
      int base = e * KINDS;
      long[] c = new long[KINDS];
      if (base + KINDS <= counts.size()) {
        System.arraycopy(a, base, c, 0, KINDS);
      }
      long start = e * epochCycles;
      long length = Math.min(epochCycles, cycles - start);
      double ns = length * tCKns;
      long bytes = 0;
      for (DataPath p : DataPath.values()) {
        bytesByPath[p.ordinal()] = c[PATH_BYTES + p.ordinal()];
        bytes += bytesByPath[p.ordinal()];
      }
      // Only the xPU's and Logic-PIM's data cross the TSVs (the near-bank units' stay on the DRAM die).
      long tsvBytes = bytesByPath[DataPath.XPU.ordinal()] + bytesByPath[DataPath.LOGIC_PIM.ordinal()];
      EnergyLedger ledger = new EnergyLedger();
      energy.post(ledger, org, c[ACTIVATED_BANKS], c[REFRESHED_BANKS], bytesByPath, tsvBytes, ns, stacks);
      double pj = ledger.totalPj();
      out.add(new Epoch(start, length, start * tCKns, bytes / ns, bytes, c[READS], c[WRITES], c[ACTIVATES],
          c[PRECHARGES], c[REFRESHES], pj, pj / ns / 1000));
    }
    return out;
  }

  public long epochCycles() {
    return epochCycles;
  }
}
