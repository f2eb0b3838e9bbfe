package io.duplexsim.workloads.serving.cachecraft;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cache-Craft's Cache Fix Overhead: how much of a stored chunk-cache must be recomputed before it can
 * stand in for the chunk's KV under a new prompt's earlier chunks (arXiv 2502.15734).
 * CFO = alpha x CCI x (1 - beta'), clipped to [0, 1], with
 * <ul>
 *   <li>beta, the prefix overlap: of the attention the chunk pays to the chunks before it in either prompt
 *       (the variant's or the new one), the share on chunks present in both. Without attention scores,
 *       a chunk d positions before it gets weight 1/d in the prompt it appears in (the new prompt's
 *       position for chunks in both): attention to earlier context decays with distance. Both prefixes
 *       empty (the chunk leads both prompts) is a full match, beta = 1;
 *   <li>gamma, the order penalty: Kendall-tau discordant pairs of the common chunks in the two orders
 *       over C(m, 2) (0 for fewer than two common chunks), and beta' = beta x (1 - gamma);
 *   <li>CCI, the chunk's cache context impact (how much its KV depends on its context, sigmoid of
 *       inter- over intra-chunk attention in the paper), a property of the chunk in [0, 1].
 * </ul>
 * The top ceil(CFO x |chunk|) tokens are recomputed.
 */
public final class CacheFixOverhead {
  private CacheFixOverhead() {}

  /** beta: the attention-weighted overlap of a variant's prefix with the new prompt's (chunk ids, in prompt order). */
  public static double prefixOverlap(List<String> variantPrefix, List<String> newPrefix) {
    if (variantPrefix.isEmpty() && newPrefix.isEmpty()) {
      return 1;
    }
    Map<String, Double> inNew = weights(newPrefix);
    Map<String, Double> inVariant = weights(variantPrefix);
    double common = 0;
    double union = 0;
    for (Map.Entry<String, Double> e : inNew.entrySet()) {
      union += e.getValue();
      if (inVariant.containsKey(e.getKey())) {
        common += e.getValue();
      }
    }
    for (Map.Entry<String, Double> e : inVariant.entrySet()) {
      if (!inNew.containsKey(e.getKey())) {
        union += e.getValue();
      }
    }
    return common / union;
  }

  /** gamma: the share of discordant pairs among the chunks both prefixes hold (Kendall tau distance). */
  public static double orderPenalty(List<String> variantPrefix, List<String> newPrefix) {
    List<String> common = newPrefix.stream().filter(variantPrefix::contains).distinct().toList();
    int m = common.size();
    if (m < 2) {
      return 0;
    }
    int discordant = 0;
    for (int i = 0; i < m; i++) {
      for (int j = i + 1; j < m; j++) {
        // i precedes j in the new prompt; discordant if the variant has them the other way round
        if (variantPrefix.indexOf(common.get(i)) > variantPrefix.indexOf(common.get(j))) {
          discordant++;
        }
      }
    }
    return discordant / (m * (m - 1) / 2.0);
  }

  /** CFO = alpha x CCI x (1 - beta x (1 - gamma)), clipped to [0, 1]. */
  public static double cfo(double alpha, double cci, double beta, double gamma) {
    double v = alpha * cci * (1 - beta * (1 - gamma));
    return Math.max(0, Math.min(1, v));
  }

  /** CFO of reusing a variant computed under {@code variantPrefix} after {@code newPrefix}. */
  public static double cfo(double alpha, double cci, List<String> variantPrefix, List<String> newPrefix) {
    return cfo(alpha, cci, prefixOverlap(variantPrefix, newPrefix), orderPenalty(variantPrefix, newPrefix));
  }

  /**
   * Tokens to recompute: ceil(CFO x chunk tokens). A product that lands within 1e-9 of an integer is taken
   * as that integer, so that floating-point noise (0.25 x 512 = 128.00000000000003) does not add a token.
   */
  public static int recomputeTokens(double cfo, int chunkTokens) {
    double x = cfo * chunkTokens;
    double r = Math.rint(x);
    return (int) Math.min(chunkTokens, Math.abs(x - r) < 1e-9 ? r : Math.ceil(x));
  }

  /** Weight 1/d of each chunk d positions before the one being fixed (a repeated chunk: its nearest place). */
  private static Map<String, Double> weights(List<String> prefix) {
    Map<String, Double> w = new HashMap<>();
    int n = prefix.size();
    for (int i = n - 1; i >= 0; i--) {
      w.putIfAbsent(prefix.get(i), 1.0 / (n - i));
    }
    return w;
  }
}
