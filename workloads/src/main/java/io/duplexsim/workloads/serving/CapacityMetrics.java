package io.duplexsim.workloads.serving;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the memory left for KV buys, so a weight format's effect on capacity shows in the results:
 * the KV capacity in tokens, and how many of the run's requests fit in it at once at their longest
 * (mean input + output - 1 tokens, in whole blocks), the batch the KV allows whatever max-num-seqs says.
 */
public final class CapacityMetrics {
  private CapacityMetrics() {}

  /**
   * kv_capacity_tokens, max_batch_fit and weight_gb_per_device for {@code r}.
   *
   * @param weightBytesPerDevice what the most loaded device stores
   */
  public static Map<String, Object> of(ServingResult r, int blockSize, double weightBytesPerDevice) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("weight_gb_per_device", weightBytesPerDevice / 1e9);
    m.put("kv_capacity_tokens", r.kvCapacityBlocks() * blockSize);
    double blocks = r.perRequest().stream()
        .mapToLong(q -> (q.inputTokens() + q.outputTokens() - 1 + blockSize - 1) / blockSize).average().orElse(0);
    m.put("max_batch_fit", blocks > 0 ? (long) Math.floor(r.kvCapacityBlocks() / blocks) : 0L);
    return m;
  }
}
