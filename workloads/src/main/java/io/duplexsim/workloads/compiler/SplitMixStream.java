package io.duplexsim.workloads.compiler;

/**
 * The random stream of {@code new SplittableRandom(seed)}, as {@code nextInt(bound)} draws it, with
 * the bounded draw's remainder taken by a multiply and shift instead of a division: the router draws a
 * hundred million of them in a large run. Same values in the same order as {@link java.util.SplittableRandom}
 * (tested against it), so routes, and every result built on them, are unchanged.
 */
final class SplitMixStream {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private long seed;
  /** For each bound up to {@link #FAST_BOUNDS}: ceil(2^64 / bound), so that x % bound is one multiply-high. */
  private static final int FAST_BOUNDS = 1024;
  private static final long[] INVERSE = new long[FAST_BOUNDS + 1];

  static {
    for (int d = 2; d <= FAST_BOUNDS; d++) {
      INVERSE[d] = Long.divideUnsigned(-1L, d) + 1; // ceil(2^64 / d), unsigned (d > 1)
    }
  }

  SplitMixStream(long seed) {
    this.seed = seed;
  }

  int nextInt() {
    long z = seed += GOLDEN_GAMMA;
    z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
    return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
  }

  /** {@code SplittableRandom.nextInt(bound)}: the same rejection loop, the same values. */
  int nextInt(int bound) {
    int r = nextInt();
    int m = bound - 1;
    if ((bound & m) == 0) {
      return r & m;
    }
    for (int u = r >>> 1; u + m - (r = mod(u, bound)) < 0; u = nextInt() >>> 1) {
      // rejected: draw again, as SplittableRandom does
    }
    return r;
  }

  /** {@code u % bound} for u >= 0: Lemire's fastmod (exact for 32-bit values) when the bound is small. */
  private static int mod(int u, int bound) {
    if (bound > FAST_BOUNDS) {
      return u % bound;
    }
    long lowbits = INVERSE[bound] * u;
    // the high 64 bits of the unsigned 128-bit product lowbits * bound (multiplyHigh is signed)
    long hi = Math.multiplyHigh(lowbits, bound) + (lowbits < 0 ? bound : 0);
    return (int) hi;
  }
}
