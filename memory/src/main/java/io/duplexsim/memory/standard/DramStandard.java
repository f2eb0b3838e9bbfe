package io.duplexsim.memory.standard;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A resolved DRAM standard: organisation, clock, timings in command-clock cycles, commands and
 * timing constraints, all as data. Built by {@link Standards} from the bundled YAML files.
 */
public final class DramStandard {
  private final String name;
  private final String family;
  private final String source;
  private final Organization org;
  private final int rateMbps;
  private final int commandClockMHz;
  private final Map<String, Integer> timings;
  private final List<CommandSpec> commands;
  private final List<TimingConstraint> constraints;

  DramStandard(String name, String family, String source, Organization org, int rateMbps, int commandClockMHz,
      Map<String, Integer> timings, List<CommandSpec> commands, List<TimingConstraint> constraints) {
    this.name = name;
    this.family = family;
    this.source = source;
    this.org = org;
    this.rateMbps = rateMbps;
    this.commandClockMHz = commandClockMHz;
    this.timings = Collections.unmodifiableMap(timings);
    this.commands = List.copyOf(commands);
    this.constraints = List.copyOf(constraints);
  }

  public String name() {
    return name;
  }

  public String family() {
    return family;
  }

  /** Where the numbers come from. */
  public String source() {
    return source;
  }

  public Organization org() {
    return org;
  }

  public int rateMbps() {
    return rateMbps;
  }

  public int commandClockMHz() {
    return commandClockMHz;
  }

  public long commandClockHz() {
    return commandClockMHz * 1_000_000L;
  }

  public double tCKns() {
    return 1000.0 / commandClockMHz;
  }

  /** Data beats per pin per command-clock cycle (4 for HBM3, 2 for HBM2E). */
  public int beatsPerClock() {
    return rateMbps / commandClockMHz;
  }

  /** Timing value in cycles; throws if the standard does not define it. */
  public int timing(String timingName) {
    Integer v = timings.get(timingName);
    if (v == null) {
      throw new IllegalArgumentException(name + " has no timing " + timingName);
    }
    return v;
  }

  public Map<String, Integer> timings() {
    return timings;
  }

  public List<CommandSpec> commands() {
    return commands;
  }

  public CommandSpec command(int id) {
    return commands.get(id);
  }

  /** Command id by name, or -1. */
  public int commandId(String commandName) {
    for (CommandSpec c : commands) {
      if (c.name().equals(commandName)) {
        return c.id();
      }
    }
    return -1;
  }

  public List<TimingConstraint> constraints() {
    return constraints;
  }

  /** Pin bandwidth of one pseudo-channel in GB/s (10^9 bytes per second). */
  public double pseudoChannelPeakGBps() {
    return org.dqBits() * (double) rateMbps / 8 / 1000;
  }

  public double stackPeakGBps() {
    return pseudoChannelPeakGBps() * org.pseudoChannelsPerStack();
  }

  @Override
  public String toString() {
    return name;
  }
}
