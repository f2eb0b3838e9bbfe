package io.duplexsim.workloads.serving.kvshare;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.ServingOptions;
import io.duplexsim.workloads.serving.requests.PromptFragment;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * KVShare's multi-tenant KV reuse (arXiv 2503.16525) for one serving run; the engine calls its hooks.
 * <ul>
 *   <li>Fragment reuse: a prompt's fragments whose KV is in the {@link FragmentStore} (put there when an
 *       earlier request finished prefilling them, wherever they stood in its prompt) are reused; a
 *       request's hit rate is reused tokens / prompt tokens. The prompt's last token always runs, for the
 *       first output token's logits, so it is never counted reused.
 *   <li>DHD (Dual-Stage High Deviation): the prefill recomputes the top r of the reused tokens with the
 *       new ones, ceil(r x reused) tokens; each decode step then recomputes up to 3 more reused tokens
 *       as extra tokens in the request's decode entry, until those the prefill left are exhausted or
 *       the request ends. Which tokens (the paper scores attention received x value deviation) does
 *       not change the cost, so only how many is modelled.
 *   <li>The cache-aware scheduler ({@link CacheAwareScheduler}), when switched on.
 * </ul>
 * The reused KV is copied from the store into the request's own blocks; the copy (tokens x KV bytes
 * per token, read and written once in device memory) is not priced: for 2k Llama-3-8B tokens it is
 * 0.27 GB, about 0.16 ms at 3.35 TB/s, against tens of ms of prefill.
 */
public final class KvShare {
  private final KvShareConfig config;
  private final KvCapacity requestCapacity;
  private final FragmentStore store;
  /** Reused tokens a request's decode steps still have to recompute, by request id. */
  private final Long2IntOpenHashMap decodePending = new Long2IntOpenHashMap();
  /** Requests whose hit rate is in the mean (their first admission). */
  private final LongOpenHashSet counted = new LongOpenHashSet();
  private long admitted;
  private double hitRateSum;
  private long reusedTokens;
  private long prefillRecomputed;
  private long decodeRecomputed;

  /** Sets {@code capacity}'s fragment-store share aside; the engine serves from {@link #requestCapacity()}. */
  public KvShare(KvShareConfig config, ServingOptions options, KvCapacity capacity) {
    if (options.enablePrefixCaching()) {
      throw new InputException("kvshare and enable-prefix-caching cannot both be true: KVShare's fragment reuse"
          + " already covers shared prefixes; turn one of them off");
    }
    long storeBlocks = (long) Math.floor(config.cacheFraction() * capacity.blocks());
    if (storeBlocks >= capacity.blocks()) {
      throw new InputException("kvshare-cache-fraction " + config.cacheFraction() + " leaves none of the "
          + capacity.blocks() + " KV blocks for running requests");
    }
    this.config = config;
    this.requestCapacity = storeBlocks == 0 ? capacity : capacity.less(storeBlocks);
    this.store = new FragmentStore(storeBlocks, capacity.blockSize());
  }

  public KvShareConfig config() {
    return config;
  }

  /** The KV capacity left for running requests. */
  public KvCapacity requestCapacity() {
    return requestCapacity;
  }

  /** Prompt tokens of {@code spec} whose KV the store holds now. */
  public int reusedTokens(RequestSpec spec) {
    long sum = 0;
    for (PromptFragment f : spec.fragments()) {
      if (store.contains(f.contentKey())) {
        sum += f.length();
      }
    }
    return (int) Math.min(sum, spec.inputTokens() - 1);
  }

  /** Reused tokens / prompt tokens, were {@code spec} admitted now. */
  public double hitRate(RequestSpec spec) {
    return (double) reusedTokens(spec) / spec.inputTokens();
  }

  /** Prompt tokens a fresh prefill of {@code spec} would skip now: reused and not recomputed by DHD. */
  public int skippedTokens(RequestSpec spec) {
    int reused = reusedTokens(spec);
    return reused - config.prefillRecompute(reused);
  }

  /**
   * A fresh prefill of {@code spec} starts (first admission, or again after a recompute preemption):
   * takes its reused fragments from the store (most recently used now) and returns the tokens it skips,
   * as {@link #skippedTokens} said.
   */
  public int admit(RequestSpec spec) {
    int reused = reusedTokens(spec);
    int recompute = config.prefillRecompute(reused);
    for (PromptFragment f : spec.fragments()) {
      store.touch(f.contentKey());
    }
    decodePending.put(spec.id(), reused - recompute);
    reusedTokens += reused;
    prefillRecomputed += recompute;
    if (counted.add(spec.id())) {
      admitted++;
      hitRateSum += (double) reused / spec.inputTokens();
    }
    return reused - recompute;
  }

  /** Reused tokens DHD recomputes in request {@code id}'s decode step, at most {@code budget}. */
  public int decodeRecompute(long id, int budget) {
    int n = Math.min(Math.min(decodePending.get(id), config.decodeRecomputeTokens()), budget);
    if (n <= 0) {
      return 0;
    }
    decodePending.addTo(id, -n);
    decodeRecomputed += n;
    return n;
  }

  /** The prefill of {@code spec} finished: its fragments' KV goes into the store. */
  public void prefilled(RequestSpec spec) {
    for (PromptFragment f : spec.fragments()) {
      store.put(f.contentKey(), f.length());
    }
  }

  /** Request {@code id} left the engine. */
  public void finished(long id) {
    decodePending.remove(id);
  }

  /** With the cache-aware scheduler on, reorders the waiting queue by hit rate; otherwise leaves it. */
  public <T> void order(Deque<T> waiting, Function<T, RequestSpec> spec, Predicate<T> resumed) {
    if (config.cacheAwareScheduler()) {
      CacheAwareScheduler.order(waiting, t -> hitRate(spec.apply(t)), t -> spec.apply(t).id(), resumed);
    }
  }

  /** The policy's metrics, keys as the command line prints them. */
  public Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kvshare_mean_hit_rate", admitted > 0 ? hitRateSum / admitted : 0.0);
    m.put("kvshare_reused_tokens", reusedTokens);
    m.put("kvshare_prefill_recomputed_tokens", prefillRecomputed);
    m.put("kvshare_decode_recomputed_tokens", decodeRecomputed);
    m.put("kvshare_tokens_saved", reusedTokens - prefillRecomputed - decodeRecomputed);
    m.put("kvshare_recompute_ratio", config.recomputeRatio());
    m.put("kvshare_cache_aware_scheduler", config.cacheAwareScheduler());
    m.put("kvshare_store_blocks", store.capacityBlocks());
    m.put("kvshare_store_fragments_stored", store.stored());
    m.put("kvshare_store_evictions", store.evictions());
    return m;
  }
}
