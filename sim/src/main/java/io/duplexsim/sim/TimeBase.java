package io.duplexsim.sim;

import java.math.BigInteger;
import java.util.List;

/**
 * The exact common tick of a set of clock domains: its frequency is the least common multiple of
 * theirs (1.3 GHz, 650 MHz and 1.83 GHz share a 237.9 GHz tick), so every domain's cycle is a whole
 * number of ticks and time never drifts.
 */
public final class TimeBase {
  /** Beyond this the tick would wrap long simulated times; domains that need it are rejected. */
  static final long MAX_TICK_HZ = 1_000_000_000_000_000L;

  private final long tickHz;

  private TimeBase(long tickHz) {
    this.tickHz = tickHz;
  }

  public static TimeBase of(List<ClockDomain> domains) {
    BigInteger lcm = BigInteger.ONE;
    for (ClockDomain d : domains) {
      BigInteger f = BigInteger.valueOf(d.frequencyHz());
      lcm = lcm.divide(lcm.gcd(f)).multiply(f);
      if (lcm.compareTo(BigInteger.valueOf(MAX_TICK_HZ)) > 0) {
        throw new IllegalArgumentException("clock domains " + domains
            + " have no common tick below 1 PHz; round one frequency to a coarser value");
      }
    }
    TimeBase tb = new TimeBase(lcm.longValueExact());
    for (ClockDomain d : domains) {
      d.bind(tb);
    }
    return tb;
  }

  public long tickHz() {
    return tickHz;
  }

  long ticksPerCycle(long frequencyHz) {
    return tickHz / frequencyHz;
  }

  public double ticksToNs(long ticks) {
    return ticks * 1e9 / tickHz;
  }
}
