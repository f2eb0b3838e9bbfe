package io.duplexsim.workloads.compiler;

/** Each token picks top-k distinct experts uniformly at random, as the Duplex paper's synthetic runs do. */
public final class UniformRouter implements ExpertRouter {
  /** {@code new SplittableRandom(seed)}'s stream, drawn without divisions. */
  private final SplitMixStream random;
  private int[] pool = new int[0];

  public UniformRouter(long seed) {
    this.random = new SplitMixStream(seed);
  }

  @Override
  public int[] route(int layer, int tokens, int experts, int topK) {
    int[] out = new int[tokens * topK];
    draw(tokens, experts, topK, out, null);
    return out;
  }

  /** Counts as {@link #route} draws, without keeping each token's choices (a large prefill has millions). */
  @Override
  public int[] tokensPerExpert(int layer, int tokens, int experts, int topK) {
    int[] counts = new int[experts];
    draw(tokens, experts, topK, null, counts);
    return counts;
  }

  /** Draws {@code tokens} tokens' choices into {@code out} (token-major) or counts them into {@code counts}. */
  private void draw(int tokens, int experts, int topK, int[] out, int[] counts) {
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
