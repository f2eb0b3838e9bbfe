package io.duplexsim.workloads.serving.requests;

import io.duplexsim.sim.InputException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * When synthetic requests arrive. Text forms (for config keys): {@code closed:CONCURRENCY} (a
 * finished request is replaced at the next iteration, as the Duplex paper runs its throughput
 * experiments), {@code poisson:RATE} (requests per second, exponential gaps) and
 * {@code gamma:RATE,CV} (gamma gaps with that mean rate and coefficient of variation; CV 1 is
 * Poisson, larger is burstier, as Vidur's gamma interval generator).
 */
public sealed interface ArrivalProcess {
  /** Requests kept in flight for a closed loop, 0 for open-loop processes. */
  int concurrency();

  /** The gap in ns before the next arrival (open loop only). */
  double nextGapNs(SplittableRandom rng);

  record Closed(int concurrency) implements ArrivalProcess {
    public Closed {
      if (concurrency < 1) {
        throw new IllegalArgumentException("closed-loop concurrency must be >= 1, got " + concurrency);
      }
    }

    @Override
    public double nextGapNs(SplittableRandom rng) {
      throw new UnsupportedOperationException("a closed loop has no arrival gaps");
    }
  }

  record Poisson(double ratePerS) implements ArrivalProcess {
    public Poisson {
      if (!(ratePerS > 0) || Double.isInfinite(ratePerS)) {
        throw new IllegalArgumentException("poisson rate must be a positive number of requests/s, got " + ratePerS);
      }
    }

    @Override
    public int concurrency() {
      return 0;
    }

    @Override
    public double nextGapNs(SplittableRandom rng) {
      return -Math.log1p(-rng.nextDouble()) / ratePerS * 1e9;
    }
  }

  record Gamma(double ratePerS, double cv) implements ArrivalProcess {
    public Gamma {
      if (!(ratePerS > 0) || Double.isInfinite(ratePerS) || !(cv > 0) || Double.isInfinite(cv)) {
        throw new IllegalArgumentException("gamma arrivals need a positive rate and CV, got " + ratePerS + ", " + cv);
      }
    }

    @Override
    public int concurrency() {
      return 0;
    }

    @Override
    public double nextGapNs(SplittableRandom rng) {
      double shape = 1 / (cv * cv); // CV of a gamma is 1/sqrt(shape)
      double meanGapNs = 1e9 / ratePerS;
      return GammaSampler.sample(rng, shape) * meanGapNs / shape;
    }
  }

  /** Parses a text form; {@code key} names the config key in the error. */
  public static ArrivalProcess parse(String text, String key) {
    String t = text == null ? "" : text.trim();
    int colon = t.indexOf(':');
    String kind = (colon < 0 ? t : t.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    String[] args = colon < 0 ? new String[0] : t.substring(colon + 1).split(",", -1);
    try {
      return switch (kind) {
        case "closed" -> {
          if (args.length != 1) {
            throw new IllegalArgumentException("one concurrency expected");
          }
          yield new Closed(Integer.parseInt(args[0].trim()));
        }
        case "poisson" -> {
          if (args.length != 1) {
            throw new IllegalArgumentException("one rate expected");
          }
          yield new Poisson(Double.parseDouble(args[0].trim()));
        }
        case "gamma" -> {
          if (args.length != 2) {
            throw new IllegalArgumentException("a rate and a CV expected");
          }
          yield new Gamma(Double.parseDouble(args[0].trim()), Double.parseDouble(args[1].trim()));
        }
        default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new InputException(key + ": '" + text + "' is not an arrival process (" + e.getMessage()
          + "); expected closed:CONCURRENCY, poisson:RATE or gamma:RATE,CV (rates in requests/s)");
    }
  }
}
