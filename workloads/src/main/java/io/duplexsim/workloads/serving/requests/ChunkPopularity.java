package io.duplexsim.workloads.serving.requests;

import io.duplexsim.sim.InputException;
import java.util.SplittableRandom;

/**
 * How often each chunk of a RAG corpus is retrieved: Zipf over the corpus, P(rank i) proportional to
 * i^-s, with the exponent s solved (bisection) so that the most popular {@code hotFraction} of the chunks
 * draw {@code hotShare} of the retrievals (Cache-Craft's production traces: the top 5% of chunks get 60%).
 * Rank 0 is the most popular chunk.
 */
public final class ChunkPopularity {
  private final int chunks;
  private final double exponent;
  private final double[] cdf;

  public ChunkPopularity(int chunks, double hotFraction, double hotShare) {
    if (chunks < 2) {
      throw new InputException("rag-corpus-chunks must be >= 2, got " + chunks);
    }
    if (!(hotFraction > 0 && hotFraction < 1)) {
      throw new InputException("rag-hot-fraction must be in (0, 1), got " + hotFraction);
    }
    int hot = hotChunks(chunks, hotFraction);
    double uniform = (double) hot / chunks;
    if (!(hotShare >= uniform && hotShare < 1)) {
      throw new InputException("rag-hot-share must be in [" + uniform + ", 1) (at least the share the "
          + hot + " hot chunks of " + chunks + " get when all are equally popular), got " + hotShare);
    }
    this.chunks = chunks;
    double lo = 0;
    double hi = 1;
    while (share(chunks, hot, hi) < hotShare) {
      hi *= 2;
      if (hi > 1e3) {
        throw new InputException("rag-hot-share " + hotShare + " is out of reach for " + chunks + " chunks");
      }
    }
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      if (share(chunks, hot, mid) < hotShare) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    exponent = (lo + hi) / 2;
    cdf = new double[chunks];
    double sum = 0;
    for (int i = 0; i < chunks; i++) {
      sum += Math.pow(i + 1, -exponent);
      cdf[i] = sum;
    }
    for (int i = 0; i < chunks; i++) {
      cdf[i] /= sum;
    }
  }

  /** The hot set's size: ceil(fraction x chunks), at least one. */
  static int hotChunks(int chunks, double fraction) {
    return (int) Math.max(1, Math.ceil(fraction * chunks - 1e-9));
  }

  /** Share of Zipf(s) mass on the first {@code hot} of {@code n} ranks. */
  static double share(int n, int hot, double s) {
    double top = 0;
    double all = 0;
    for (int i = 1; i <= n; i++) {
      double w = Math.pow(i, -s);
      all += w;
      if (i <= hot) {
        top += w;
      }
    }
    return top / all;
  }

  public int chunks() {
    return chunks;
  }

  /** The Zipf exponent solved for. */
  public double exponent() {
    return exponent;
  }

  /** Probability mass of the {@code n} most popular chunks. */
  public double topShare(int n) {
    return n <= 0 ? 0 : cdf[Math.min(n, chunks) - 1];
  }

  /** A chunk's popularity rank, drawn from {@code rng}. */
  public int sample(SplittableRandom rng) {
    double u = rng.nextDouble();
    int lo = 0;
    int hi = chunks - 1;
    while (lo < hi) { // first rank with cdf > u
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
