package io.duplexsim.workloads.serving.requests;

import io.duplexsim.sim.InputException;
import java.util.SplittableRandom;

/**
 * How many tokens a synthetic prompt or output has. Text forms (for config keys):
 * {@code fixed:N} (or just {@code N}), {@code gaussian:MEAN,STDDEV} (rounded, clipped to >= 1),
 * {@code uniform:MIN,MAX} (inclusive) and {@code zipf:THETA,MIN,MAX} (P(MIN + i) proportional to
 * (i + 1)^-THETA, so short lengths are the common ones, as in Vidur's Zipf length generator).
 */
public sealed interface LengthDistribution {
  int sample(SplittableRandom rng);

  /** The distribution's mean length, for reports and tests. */
  double mean();

  record Fixed(int tokens) implements LengthDistribution {
    public Fixed {
      if (tokens < 1) {
        throw new IllegalArgumentException("fixed length must be >= 1, got " + tokens);
      }
    }

    @Override
    public int sample(SplittableRandom rng) {
      return tokens;
    }

    @Override
    public double mean() {
      return tokens;
    }
  }

  /** A normal draw, rounded and clipped to at least 1 (so the realised mean is a little above a small mean). */
  record Gaussian(double mean, double stddev) implements LengthDistribution {
    public Gaussian {
      if (!(mean >= 1) || !(stddev >= 0)) {
        throw new IllegalArgumentException("gaussian length needs mean >= 1 and stddev >= 0, got " + mean + ", " + stddev);
      }
    }

    @Override
    public int sample(SplittableRandom rng) {
      double v = Math.rint(mean + stddev * StandardNormal.sample(rng));
      return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, v));
    }
  }

  record Uniform(int min, int max) implements LengthDistribution {
    public Uniform {
      if (min < 1 || max < min) {
        throw new IllegalArgumentException("uniform length needs 1 <= min <= max, got " + min + ", " + max);
      }
    }

    @Override
    public int sample(SplittableRandom rng) {
      return rng.nextInt(min, max + 1);
    }

    @Override
    public double mean() {
      return (min + (double) max) / 2;
    }
  }

  /** Zipf over MIN..MAX by inverse CDF on a precomputed table. */
  final class Zipf implements LengthDistribution {
    /** Keeps the CDF table to 32 MiB. */
    static final int MAX_SPAN = 1 << 22;

    private final double theta;
    private final int min;
    private final int max;
    private final double[] cdf;
    private final double mean;

    public Zipf(double theta, int min, int max) {
      if (!(theta > 0) || min < 1 || max < min || (long) max - min + 1 > MAX_SPAN) {
        throw new IllegalArgumentException("zipf length needs theta > 0 and 1 <= min <= max with at most "
            + MAX_SPAN + " values, got " + theta + ", " + min + ", " + max);
      }
      this.theta = theta;
      this.min = min;
      this.max = max;
      cdf = new double[max - min + 1];
      double sum = 0;
      double weighted = 0;
      for (int i = 0; i < cdf.length; i++) {
        double w = Math.pow(i + 1, -theta);
        sum += w;
        weighted += w * (min + i);
        cdf[i] = sum;
      }
      for (int i = 0; i < cdf.length; i++) {
        cdf[i] /= sum;
      }
      mean = weighted / sum;
    }

    @Override
    public int sample(SplittableRandom rng) {
      double u = rng.nextDouble();
      int lo = 0;
      int hi = cdf.length - 1;
      while (lo < hi) { // first index with cdf > u
        int mid = (lo + hi) >>> 1;
        if (cdf[mid] > u) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return min + lo;
    }

    @Override
    public double mean() {
      return mean;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Zipf z && z.theta == theta && z.min == min && z.max == max;
    }

    @Override
    public int hashCode() {
      return Double.hashCode(theta) * 31 * 31 + min * 31 + max;
    }

    @Override
    public String toString() {
      return "zipf:" + theta + "," + min + "," + max;
    }
  }

  /** Parses a text form; {@code key} names the config key in the error. */
  public static LengthDistribution parse(String text, String key) {
    String t = text == null ? "" : text.trim();
    int colon = t.indexOf(':');
    String kind = colon < 0 ? "fixed" : t.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
    String[] args = (colon < 0 ? t : t.substring(colon + 1)).split(",", -1);
    try {
      return switch (kind) {
        case "fixed" -> {
          expectArgs(args, 1);
          yield new Fixed(Integer.parseInt(args[0].trim()));
        }
        case "gaussian", "normal" -> {
          expectArgs(args, 2);
          yield new Gaussian(Double.parseDouble(args[0].trim()), Double.parseDouble(args[1].trim()));
        }
        case "uniform" -> {
          expectArgs(args, 2);
          yield new Uniform(Integer.parseInt(args[0].trim()), Integer.parseInt(args[1].trim()));
        }
        case "zipf" -> {
          expectArgs(args, 3);
          yield new Zipf(Double.parseDouble(args[0].trim()), Integer.parseInt(args[1].trim()),
              Integer.parseInt(args[2].trim()));
        }
        default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
      };
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw new InputException(key + ": '" + text + "' is not a length distribution (" + e.getMessage()
          + "); expected N, fixed:N, gaussian:MEAN,STDDEV, uniform:MIN,MAX or zipf:THETA,MIN,MAX");
    }
  }

  private static void expectArgs(String[] args, int n) {
    if (args.length != n) {
      throw new IllegalArgumentException(n + " number(s) expected, got " + args.length);
    }
  }
}
