package io.duplexsim.memory.frontend;

import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic request patterns, by the name the command line uses ({@code --pattern}). Every
 * request carries issue cycle -1 (inject as soon as accepted). Addresses stay inside the
 * footprint: the sequential patterns wrap around at its end. Generation is seeded with a
 * {@link SplittableRandom}: the same seed and parameters give an identical trace.
 */
public enum SyntheticPattern {
  /** Sequential reads of {@code accessBytes} each, from address 0. */
  STREAM("stream", "sequential reads from address 0") {
    @Override
    void fill(RequestTrace t, int n, SplittableRandom rng, PatternParams p) {
      sequential(t, n, p.accessBytes(), p, RequestType.READ);
    }
  },
  /** Uniformly random, access-aligned reads over the footprint. */
  RANDOM("random", "uniform random aligned reads over the footprint") {
    @Override
    void fill(RequestTrace t, int n, SplittableRandom rng, PatternParams p) {
      long slots = p.footprintBytes() / p.accessBytes();
      for (int i = 0; i < n; i++) {
        t.add(rng.nextLong(slots) * p.accessBytes(), RequestType.READ);
      }
    }
  },
  /**
   * Reads at address {@code i * stride}. When a pass reaches the end of the footprint the next
   * pass starts one access further on, so passes touch new columns rather than repeat.
   */
  STRIDED("strided", "reads at address i * stride (default 8 KiB)") {
    @Override
    void fill(RequestTrace t, int n, SplittableRandom rng, PatternParams p) {
      long fp = p.footprintBytes();
      long stride = p.strideBytes();
      long a = p.accessBytes();
      long restart = Math.min(stride, fp / a * a); // both multiples of a
      long addr = 0;
      long pass = 0;
      for (int i = 0; i < n; i++) {
        t.add(addr, RequestType.READ);
        addr += stride;
        if (addr + a > fp) {
          pass++;
          addr = (pass * a) % restart;
        }
      }
    }
  },
  /** Random aligned addresses; each request is a read with probability {@code readFraction}. */
  MIX("mix", "random addresses, reads and writes in a ratio (default 2:1)") {
    @Override
    void fill(RequestTrace t, int n, SplittableRandom rng, PatternParams p) {
      long slots = p.footprintBytes() / p.accessBytes();
      double rf = p.readFraction();
      for (int i = 0; i < n; i++) {
        long addr = rng.nextLong(slots) * p.accessBytes();
        RequestType type = rng.nextDouble() < rf ? RequestType.READ : RequestType.WRITE;
        t.add(addr, type);
      }
    }
  },
  /** Sequential Logic-PIM bank-bundle reads, one {@value #BUNDLE_BYTES} B unit each. */
  BUNDLE_STREAM("bundle-stream", "sequential Logic-PIM bundle reads of 256 B units") {
    @Override
    void fill(RequestTrace t, int n, SplittableRandom rng, PatternParams p) {
      sequential(t, n, BUNDLE_BYTES, p, RequestType.BUNDLE_READ);
    }
  },
  /** Sequential writes of {@code accessBytes} each, from address 0. */
  WRITE_STREAM("write-stream", "sequential writes from address 0") {
    @Override
    void fill(RequestTrace t, int n, SplittableRandom rng, PatternParams p) {
      sequential(t, n, p.accessBytes(), p, RequestType.WRITE);
    }
  };

  /** Bytes one Logic-PIM bank-bundle read moves: 8 banks x 32 B. */
  public static final int BUNDLE_BYTES = 256;

  private final String key;
  private final String description;

  SyntheticPattern(String key, String description) {
    this.key = key;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String description() {
    return description;
  }

  abstract void fill(RequestTrace t, int n, SplittableRandom rng, PatternParams p);

  private static void sequential(RequestTrace t, int n, long step, PatternParams p, RequestType type) {
    long wrap = p.footprintBytes() / step * step;
    if (wrap == 0) {
      throw new InputException("footprint " + p.footprintBytes() + " B is smaller than one " + step + " B request");
    }
    long addr = 0;
    for (int i = 0; i < n; i++) {
      t.add(addr, type);
      addr += step;
      if (addr >= wrap) {
        addr = 0;
      }
    }
  }

  /**
   * Generates {@code requests} requests.
   *
   * @throws InputException if {@code requests} is not in 1 .. 2^31-1
   */
  public RequestTrace generate(long requests, long seed, PatternParams params) {
    if (requests <= 0 || requests > Integer.MAX_VALUE) {
      throw new InputException("requests must be between 1 and " + Integer.MAX_VALUE + ", got " + requests);
    }
    RequestTrace t = new RequestTrace(key);
    fill(t, (int) requests, new SplittableRandom(seed), params);
    return t;
  }

  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (SyntheticPattern p : values()) {
      names.add(p.key);
    }
    return names;
  }

  /** The pattern with this name (case-insensitive). */
  public static SyntheticPattern byName(String name) {
    for (SyntheticPattern p : values()) {
      if (name != null && p.key.equalsIgnoreCase(name.trim())) {
        return p;
      }
    }
    throw new InputException("unknown pattern '" + name + "'; expected one of " + names());
  }

  /**
   * Knobs of the synthetic patterns.
   *
   * @param footprintBytes bytes the addresses range over (default 1 GiB)
   * @param strideBytes spacing of {@code strided} (default 8 KiB)
   * @param readFraction share of reads in {@code mix} (default 2/3)
   * @param accessBytes size and alignment of one request (default 32 B)
   */
  public record PatternParams(long footprintBytes, long strideBytes, double readFraction, int accessBytes) {
    public static final long DEFAULT_FOOTPRINT = 1L << 30;
    public static final long DEFAULT_STRIDE = 8192;
    public static final double DEFAULT_READ_FRACTION = 2.0 / 3.0;
    public static final int DEFAULT_ACCESS = 32;

    public PatternParams {
      if (accessBytes <= 0 || Integer.bitCount(accessBytes) != 1) {
        throw new InputException("access bytes must be a positive power of two, got " + accessBytes);
      }
      if (footprintBytes < accessBytes) {
        throw new InputException("footprint must be at least one access (" + accessBytes + " B), got "
            + footprintBytes);
      }
      if (strideBytes <= 0 || strideBytes % accessBytes != 0) {
        throw new InputException("stride must be a positive multiple of " + accessBytes + " B, got " + strideBytes);
      }
      if (!(readFraction >= 0 && readFraction <= 1)) {
        throw new InputException("read fraction must be between 0 and 1, got " + readFraction);
      }
    }

    public static PatternParams defaults() {
      return new PatternParams(DEFAULT_FOOTPRINT, DEFAULT_STRIDE, DEFAULT_READ_FRACTION, DEFAULT_ACCESS);
    }

    public PatternParams withFootprintBytes(long v) {
      return new PatternParams(v, strideBytes, readFraction, accessBytes);
    }

    public PatternParams withStrideBytes(long v) {
      return new PatternParams(footprintBytes, v, readFraction, accessBytes);
    }

    public PatternParams withReadFraction(double v) {
      return new PatternParams(footprintBytes, strideBytes, v, accessBytes);
    }

    public PatternParams withAccessBytes(int v) {
      return new PatternParams(footprintBytes, strideBytes, readFraction, v);
    }
  }
}
