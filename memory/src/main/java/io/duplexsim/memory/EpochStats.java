package io.duplexsim.memory;

import io.duplexsim.memory.standard.CommandSpec;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * The run cut into epochs of a fixed number of command-clock cycles (DRAMsim3's epoch statistics): per
 * epoch, over every pseudo-channel, the data its column commands moved, its reads and writes, and its
 * row activations, precharges and refreshes, counted at each command's issue cycle. It watches the
 * command stream, so it changes nothing in the run; a lane run shows it every command in one-thread order.
 */
public final class EpochStats implements CommandObserver {
  /** One epoch's counts; {@code bandwidthGBps} is its bytes over its length (the last one's ends with the run). */
  public record Epoch(long startCycle, double startNs, double bandwidthGBps, long bytes, long reads, long writes,
      long activates, long precharges, long refreshes) {

    public java.util.Map<String, Object> toMap() {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("start_cycle", startCycle);
      m.put("start_ns", startNs);
      m.put("bandwidth_GBps", bandwidthGBps);
      m.put("bytes", bytes);
      m.put("reads", reads);
      m.put("writes", writes);
      m.put("activates", activates);
      m.put("precharges", precharges);
      m.put("refreshes", refreshes);
      return m;
    }
  }

  private static final int BYTES = 0;
  private static final int READS = 1;
  private static final int WRITES = 2;
  private static final int ACTIVATES = 3;
  private static final int PRECHARGES = 4;
  private static final int REFRESHES = 5;
  private static final int KINDS = 6;
  /** More epochs than a chart or a table can show, and 48 bytes each. */
  static final long MAX_EPOCHS = 10_000_000;

  private final long epochCycles;
  private final double tCKns;
  /** Per command: bytes its data moves (0 for none) and what it counts as ({@link #READS} ...; -1 none). */
  private final long[] bytesOf;
  private final int[] kindOf;
  /** {@code [epoch * KINDS + kind]}. */
  private final LongArrayList counts = new LongArrayList();

  public EpochStats(DramStandard standard, long epochCycles) {
    if (epochCycles <= 0) {
      throw new io.duplexsim.sim.InputException("epoch-cycles must be a positive number of cycles, got " + epochCycles);
    }
    this.epochCycles = epochCycles;
    this.tCKns = standard.tCKns();
    int n = standard.commands().size();
    bytesOf = new long[n];
    kindOf = new int[n];
    Organization org = standard.org();
    for (int c = 0; c < n; c++) {
      CommandSpec spec = standard.command(c);
      kindOf[c] = spec.access() == CommandSpec.Access.READ ? READS
          : spec.access() == CommandSpec.Access.WRITE ? WRITES
          : spec.refresh() ? REFRESHES
          : spec.opens() ? ACTIVATES
          : spec.closes() ? PRECHARGES : -1;
      if (spec.isAccess()) {
        bytesOf[c] = (long) org.accessBytes() * switch (spec.scope()) {
          case BANK -> 1;
          case SAME_BANK -> org.bankGroups();
          case BUNDLE -> org.banksPerBundle();
          case RANK -> org.banksPerRank();
          case PSEUDO_CHANNEL -> org.banksPerPseudoChannel();
        };
      }
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
      throw new io.duplexsim.sim.InputException("epoch-cycles " + epochCycles + " cuts this run into more than "
          + MAX_EPOCHS + " epochs (cycle " + cycle + "); use a longer epoch");
    }
    int base = (int) epoch * KINDS;
    while (counts.size() < base + KINDS) {
      counts.add(0);
    }
    long[] a = counts.elements();
    a[base + kind]++;
    a[base + BYTES] += bytesOf[command];
  }

  /** The epochs from cycle 0 through {@code lastCycle} (the run's end), quiet ones included. */
  public List<Epoch> epochs(long lastCycle) {
    int n = (int) (lastCycle / epochCycles) + 1;
    List<Epoch> out = new ArrayList<>(n);
    long[] a = counts.elements();
    for (int e = 0; e < n; e++) {
      int base = e * KINDS;
      boolean seen = base + KINDS <= counts.size();
      long bytes = seen ? a[base + BYTES] : 0;
      long start = e * epochCycles;
      // The last epoch ends with the run.
      double ns = Math.min(epochCycles, lastCycle + 1 - start) * tCKns;
      out.add(new Epoch(start, start * tCKns, bytes / ns, bytes, seen ? a[base + READS] : 0, seen ? a[base + WRITES] : 0,
          seen ? a[base + ACTIVATES] : 0, seen ? a[base + PRECHARGES] : 0, seen ? a[base + REFRESHES] : 0));
    }
    return out;
  }

  public long epochCycles() {
    return epochCycles;
  }
}
