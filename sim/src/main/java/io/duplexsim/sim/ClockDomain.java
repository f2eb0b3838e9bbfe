package io.duplexsim.sim;

/**
 * A named clock. Its cycles map exactly onto the scheduler's common tick: one cycle lasts
 * {@code periodTicks} ticks of the {@link TimeBase}, so no rounding ever accumulates.
 */
public final class ClockDomain {
  private final String name;
  private final long frequencyHz;
  private long periodTicks;
  private TimeBase timeBase;

  public ClockDomain(String name, long frequencyHz) {
    if (frequencyHz <= 0) {
      throw new IllegalArgumentException("clock domain " + name + ": frequency must be positive, got " + frequencyHz);
    }
    this.name = name;
    this.frequencyHz = frequencyHz;
  }

  void bind(TimeBase timeBase) {
    this.timeBase = timeBase;
    this.periodTicks = timeBase.ticksPerCycle(frequencyHz);
  }

  public String name() {
    return name;
  }

  public long frequencyHz() {
    return frequencyHz;
  }

  /** Ticks of the common time base per cycle of this domain. */
  public long periodTicks() {
    return periodTicks;
  }

  public double periodNs() {
    return 1e9 / frequencyHz;
  }

  /** The first tick at which cycle {@code cycle} of this domain starts. */
  public long tickOf(long cycle) {
    return cycle * periodTicks;
  }

  /** The first cycle of this domain that starts at or after {@code tick}. */
  public long cycleAtOrAfter(long tick) {
    return (tick + periodTicks - 1) / periodTicks;
  }

  public double nsOf(long cycles) {
    return cycles * 1e9 / frequencyHz;
  }

  public TimeBase timeBase() {
    return timeBase;
  }

  @Override
  public String toString() {
    return name + "@" + frequencyHz + "Hz";
  }
}
