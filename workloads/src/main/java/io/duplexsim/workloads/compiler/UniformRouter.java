package io.duplexsim.workloads.compiler;

/**
 * Each token picks top-k distinct experts uniformly at random, as the Duplex paper's synthetic runs do.
 * When the k-subsets of the experts are few enough to list (Mixtral's 28, GLaM's 2,016), a token takes one
 * draw: the index of its subset. The router draws for every token of every MoE layer, 65 million times in
 * the bundled 1,000-request Mixtral run, where one draw instead of a shuffle's two halved the routing's
 * share of the run's thread (a quarter before). With more subsets
 * (DeepSeek-V3's top-8 of 256) each token takes a partial Fisher-Yates shuffle, k draws.
 */
public final class UniformRouter implements ExpertRouter {
  /** The most k-subsets listed in a table; beyond it, tokens are shuffled. */
  static final int MAX_LISTED_SUBSETS = 1 << 16;

  /** {@code new SplittableRandom(seed)}'s stream, drawn without divisions. */
  private final SplitMixStream random;
  private int tableExperts = -1;
  private int tableTopK = -1;
  /** Subset s's experts, ascending, at {@code [s*topK, (s+1)*topK)}; null when there are too many subsets. */
  private int[] subsets;
  /** Tokens per subset during one count (all zero between calls). */
  private int[] perSubset;
  private int[] pool = new int[0];

  public UniformRouter(long seed) {
    this.random = new SplitMixStream(seed);
  }

  @Override
  public int[] route(int layer, int tokens, int experts, int topK) {
    int[] out = new int[tokens * topK];
    if (listed(experts, topK)) {
      int[] subsets = this.subsets;
      int n = perSubset.length;
      for (int t = 0; t < tokens; t++) {
        System.arraycopy(subsets, random.nextInt(n) * topK, out, t * topK, topK);
      }
    } else {
      shuffle(tokens, experts, topK, out, null);
    }
    return out;
  }

  /** Counts as {@link #route} draws, without keeping each token's choices (a large prefill has millions). */
  @Override
  public int[] tokensPerExpert(int layer, int tokens, int experts, int topK) {
    int[] counts = new int[experts];
    if (listed(experts, topK)) {
      int[] perSubset = this.perSubset;
      int n = perSubset.length;
      for (int t = 0; t < tokens; t++) {
        perSubset[random.nextInt(n)]++;
      }
      int[] subsets = this.subsets;
      // without a test for empty subsets: a decode batch leaves one in ten empty, a branch mispredicted
      for (int s = 0, j = 0; s < n; s++) {
        int c = perSubset[s];
        perSubset[s] = 0;
        for (int end = j + topK; j < end; j++) {
          counts[subsets[j]] += c;
        }
      }
    } else {
      shuffle(tokens, experts, topK, null, counts);
    }
    return counts;
  }

  /** Whether the k-subsets of {@code experts} are listed (listing them on first use). */
  private boolean listed(int experts, int topK) {
    if (experts != tableExperts || topK != tableTopK) {
      tableExperts = experts;
      tableTopK = topK;
      subsets = subsets(experts, topK);
      perSubset = subsets == null ? null : new int[subsets.length / Math.max(1, topK)];
    }
    return subsets != null && topK > 0;
  }

  /** The k-subsets of {@code experts} in lexicographic order, flattened; null if more than the table holds. */
  static int[] subsets(int experts, int topK) {
    if (topK <= 0 || topK > experts) {
      return null;
    }
    long n = 1;
    for (int i = 0; i < topK; i++) {
      n = n * (experts - i) / (i + 1); // exact: a product of i+1 consecutive integers divides by (i+1)!
      if (n > MAX_LISTED_SUBSETS) {
        return null;
      }
    }
    int[] out = new int[(int) n * topK];
    int[] c = new int[topK];
    for (int j = 0; j < topK; j++) {
      c[j] = j;
    }
    for (int s = 0; s < n; s++) {
      System.arraycopy(c, 0, out, s * topK, topK);
      // next combination: raise the last position that can still rise, reset those after it
      int j = topK - 1;
      while (j >= 0 && c[j] == experts - topK + j) {
        j--;
      }
      if (j < 0) {
        break;
      }
      c[j]++;
      for (int i = j + 1; i < topK; i++) {
        c[i] = c[i - 1] + 1;
      }
    }
    return out;
  }

  /** Draws {@code tokens} tokens' choices into {@code out} (token-major) or counts them into {@code counts}. */
  private void shuffle(int tokens, int experts, int topK, int[] out, int[] counts) {
    if (pool.length != experts) {
      pool = new int[experts];
      for (int e = 0; e < experts; e++) {
        pool[e] = e;
      }
    }
    int[] pool = this.pool;
    for (int t = 0; t < tokens; t++) {
      // partial Fisher-Yates: the first topK slots become a uniform sample without replacement
      for (int j = 0; j < topK; j++) {
        int pick = j + random.nextInt(experts - j);
        int chosen = pool[pick];
        pool[pick] = pool[j];
        pool[j] = chosen;
        if (out != null) {
          out[t * topK + j] = chosen;
        } else {
          counts[chosen]++;
        }
      }
    }
  }
}
