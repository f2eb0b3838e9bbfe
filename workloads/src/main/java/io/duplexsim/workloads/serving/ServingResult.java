package io.duplexsim.workloads.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a serving run produced. {@link #toJson()} gives the flat object the command line prints.
 *
 * @param fidelity the iteration model's fidelity mode
 * @param requests requests that finished (all of the workload: a run ends only when every request has)
 * @param generatedTokens output tokens produced (recomputation does not count twice)
 * @param simTimeNs from time 0 to the end of the last iteration
 * @param stages iterations of each stage kind
 * @param energyPerTokenMj energy of the whole run per output token, in mJ
 * @param energyBreakdownMjPerToken the same by category ({@code fc.dram}, {@code attention.compute}, ...)
 * @param unitUtilization per unit: busy time / (sim time x devices in the replica)
 * @param kvPeakBlocks most KV blocks in use at once (a block shared through the prefix cache counts once)
 * @param prefillTokens prompt (and recomputed) tokens the iterations computed
 * @param prefixCacheQueryTokens tokens the prefills of admitted requests needed, cached or not
 * @param prefixCacheHitTokens of those, tokens found in the prefix cache (0 with caching off)
 * @param perRequest one record per request, by id
 * @param policyMetrics what the serving policies in use add (hit rates by tier, acceptance, exits per loop,
 *     KV transfer ...), keys in snake_case as the command line prints them; empty with none
 */
public record ServingResult(
    String fidelity,
    long requests,
    long generatedTokens,
    double simTimeNs,
    long iterations,
    long preemptions,
    Map<StageKind, Long> stages,
    LatencySummary ttft,
    LatencySummary tbt,
    LatencySummary e2e,
    double energyPj,
    double energyPerTokenMj,
    SortedMap<String, Double> energyBreakdownMjPerToken,
    SortedMap<String, Double> unitUtilization,
    long kvCapacityBlocks,
    long kvPeakBlocks,
    long prefillTokens,
    long prefixCacheQueryTokens,
    long prefixCacheHitTokens,
    List<RequestRecord> perRequest,
    IterationLog iterationLog,
    Map<String, Object> policyMetrics) {

  public ServingResult {
    stages = Map.copyOf(stages);
    energyBreakdownMjPerToken = Collections.unmodifiableSortedMap(new TreeMap<>(energyBreakdownMjPerToken));
    unitUtilization = Collections.unmodifiableSortedMap(new TreeMap<>(unitUtilization));
    perRequest = List.copyOf(perRequest);
    policyMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(policyMetrics));
  }

  public double simTimeS() {
    return simTimeNs / 1e9;
  }

  public double throughputTokensPerS() {
    return simTimeNs > 0 ? generatedTokens / simTimeS() : 0;
  }

  public double throughputRequestsPerS() {
    return simTimeNs > 0 ? requests / simTimeS() : 0;
  }

  /** This result with {@code more} added to its policy metrics, after those already there. */
  public ServingResult withPolicyMetrics(Map<String, Object> more) {
    Map<String, Object> merged = new LinkedHashMap<>(policyMetrics);
    merged.putAll(more);
    return new ServingResult(fidelity, requests, generatedTokens, simTimeNs, iterations, preemptions, stages, ttft, tbt,
        e2e, energyPj, energyPerTokenMj, energyBreakdownMjPerToken, unitUtilization, kvCapacityBlocks, kvPeakBlocks,
        prefillTokens, prefixCacheQueryTokens, prefixCacheHitTokens, perRequest, iterationLog, merged);
  }

  /** Cached tokens / tokens the admitted prefills needed (vLLM's prefix cache hit rate); 0 with no prefill. */
  public double prefixCacheHitRate() {
    return prefixCacheQueryTokens > 0 ? (double) prefixCacheHitTokens / prefixCacheQueryTokens : 0;
  }

  /** The flat summary, keys in the order the command line prints them. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fidelity", fidelity);
    m.put("requests", requests);
    m.put("generated_tokens", generatedTokens);
    m.put("sim_time_s", simTimeS());
    m.put("throughput_tokens_per_s", throughputTokensPerS());
    m.put("throughput_requests_per_s", throughputRequestsPerS());
    m.put("ttft_p50_ms", ttft.p50Ms());
    m.put("ttft_p90_ms", ttft.p90Ms());
    m.put("ttft_p99_ms", ttft.p99Ms());
    m.put("tbt_p50_ms", tbt.p50Ms());
    m.put("tbt_p90_ms", tbt.p90Ms());
    m.put("tbt_p99_ms", tbt.p99Ms());
    m.put("e2e_p50_ms", e2e.p50Ms());
    m.put("e2e_p90_ms", e2e.p90Ms());
    m.put("e2e_p99_ms", e2e.p99Ms());
    m.put("energy_per_token_mJ", energyPerTokenMj);
    m.put("energy_breakdown", energyBreakdownMjPerToken);
    m.put("energy_J", energyPj / 1e12);
    m.put("unit_utilization", unitUtilization);
    m.put("iterations", iterations);
    Map<String, Long> kinds = new LinkedHashMap<>();
    for (StageKind k : StageKind.values()) {
      kinds.put(k.label(), stages.getOrDefault(k, 0L));
    }
    m.put("stages", kinds);
    m.put("preemptions", preemptions);
    m.put("kv_capacity_blocks", kvCapacityBlocks);
    m.put("kv_peak_blocks", kvPeakBlocks);
    m.put("prefill_tokens_computed", prefillTokens);
    m.put("prefill_tokens_reused", prefixCacheHitTokens);
    m.put("prefix_cache_hit_rate", prefixCacheHitRate());
    m.putAll(policyMetrics);
    return m;
  }
}
