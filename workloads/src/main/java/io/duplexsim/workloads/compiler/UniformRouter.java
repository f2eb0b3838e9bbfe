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
    if (pool.length != experts) {
      pool = new int[experts];
      for (int e = 0; e < experts; e++) {
        pool[e] = e;
      }
    }
    int[] out = new int[tokens * topK];
    for (int t = 0; t < tokens; t++) {
      // partial Fisher-Yates: the first topK slots become a uniform sample without replacement
      for (int j = 0; j < topK; j++) {
        int pick = j + random.nextInt(experts - j);
        int tmp = pool[j];
        pool[j] = pool[pick];
        pool[pick] = tmp;
        out[t * topK + j] = pool[j];
      }
    }
    return out;
  }
}
