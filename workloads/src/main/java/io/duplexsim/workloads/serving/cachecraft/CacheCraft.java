package io.duplexsim.workloads.serving.cachecraft;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cache-Craft (arXiv 2502.15734) as a serving-engine policy: chunk-caches for RAG prompts. When a prompt
 * starts its prefill, each of its retrieved chunks is looked up; among the chunk's stored variants (one per
 * earlier prefix) the one with the lowest {@link CacheFixOverhead CFO} is taken and only its
 * ceil(CFO x |chunk|) fixed tokens are recomputed, through the first N layers only for a chunk the question
 * does not focus on (early termination); a chunk with no variant is computed in full and stored as one.
 * The question and later tokens are always computed. Variants live in HBM (a slice of the KV capacity),
 * host DRAM or NVMe ({@link ChunkCacheStore}); one below HBM is loaded over its link while the iteration
 * computes, layer by layer.
 *
 * <p>Transfer overlap: the engine prices an iteration as a whole, so a layer's compute is not known; with
 * compute C and transfers T spread evenly over the layers, layer-wise preloading takes max(C, T) plus one
 * layer's transfer T/L (layer 0's chunk-cache must arrive before it starts).
 */
public final class CacheCraft {
  private final CacheCraftConfig config;
  private final int modelLayers;
  private ChunkCacheStore store;
  private double deviceBytesPerVariant;
  private double replicaBytesPerVariant;
  private long hbmBlocks;
  private final Map<StorageTier, Long> tierVariants = new EnumMap<>(StorageTier.class);

  private double pendingTransferNs;
  private final Map<StorageTier, Long> hits = new EnumMap<>(StorageTier.class);
  private long lookups;
  private long misses;
  private long tokensReused;
  private long tokensRecomputed;
  private long tokensRecomputedEarlyTerminated;
  private long tokensMissed;
  private double cfoSum;
  private double tokenLayers;
  private double transferNs;
  private double stallNs;
  private final Map<StorageTier, Double> loadedBytes = new EnumMap<>(StorageTier.class);

  /**
   * @param modelLayers the served model's layers (early termination and the preloading pipeline)
   */
  public CacheCraft(CacheCraftConfig config, int modelLayers) {
    if (config.earlyTerminationLayers() >= modelLayers) {
      throw new InputException("cache-craft-early-termination-layers must be below the model's " + modelLayers
          + " layers (0: off), got " + config.earlyTerminationLayers());
    }
    this.config = config;
    this.modelLayers = modelLayers;
  }

  public CacheCraftConfig config() {
    return config;
  }

  /**
   * Sets the storage hierarchy up for a replica whose paged KV is {@code full} and returns what the engine
   * keeps for requests: all of it without reuse; otherwise all but the HBM slice for chunk-caches.
   */
  public KvCapacity engineCapacity(KvCapacity full) {
    if (!config.reuse()) {
      return full;
    }
    hbmBlocks = (long) Math.floor(full.blocks() * config.hbmFraction());
    if (full.blocks() - hbmBlocks < 1) {
      throw new InputException("cache-craft-hbm-fraction " + config.hbmFraction() + " leaves no KV block of "
          + full.blocks() + " for requests");
    }
    deviceBytesPerVariant = config.chunkTokens() * full.bytesPerBlockPerDevice() / full.blockSize();
    replicaBytesPerVariant = deviceBytesPerVariant * full.devices();
    tierVariants.put(StorageTier.HBM, hbmBlocks * full.blockSize() / config.chunkTokens());
    tierVariants.put(StorageTier.DRAM, variantsIn(config.dramGb()));
    tierVariants.put(StorageTier.NVME, variantsIn(config.nvmeGb()));
    store = new ChunkCacheStore(tierVariants, config.maxVariants(), replicaBytesPerVariant);
    return full.less(hbmBlocks);
  }

  private long variantsIn(double gb) {
    return replicaBytesPerVariant > 0 ? (long) Math.floor(gb * 1e9 / replicaBytesPerVariant) : 0;
  }

  /**
   * What a prefill of {@code target} positions of {@code spec} would compute if it started now (nothing is
   * changed: the engine may still turn it away for lack of blocks). InputException if the prompt is shorter
   * than its chunks plus one question token.
   */
  public ChunkPlan plan(RequestSpec spec, int target) {
    List<String> ids = spec.chunkIds();
    int len = config.chunkTokens();
    long chunkTokens = (long) ids.size() * len;
    if (chunkTokens >= spec.inputTokens()) {
      throw new InputException("request " + spec.id() + " retrieves " + ids.size() + " chunks of rag-chunk-tokens = "
          + len + " tokens but its prompt has only " + spec.inputTokens() + " tokens; the question needs at least one");
    }
    ChunkPlan plan = new ChunkPlan(target);
    for (int i = 0; i < ids.size(); i++) {
      int s = i * len;
      List<String> prefix = ids.subList(0, i);
      if (!config.reuse()) {
        plan.piece(s, s + len, len, BatchEntry.ALL_LAYERS, null);
        continue;
      }
      ChunkCacheStore.Variant best = null;
      double bestCfo = 2;
      double cci = cci(ids.get(i));
      for (ChunkCacheStore.Variant v : store.variants(ids.get(i))) {
        double c = CacheFixOverhead.cfo(config.alpha(), cci, v.prefix, prefix);
        if (c < bestCfo || (c == bestCfo && better(v, best))) {
          best = v;
          bestCfo = c;
        }
      }
      if (best == null) {
        plan.piece(s, s + len, len, BatchEntry.ALL_LAYERS, null);
        plan.choices.add(new ChunkPlan.Choice(ids.get(i), prefix, s + len, -1, null, 1, len, false, true));
        continue;
      }
      int recompute = CacheFixOverhead.recomputeTokens(bestCfo, len);
      boolean early = recompute > 0 && config.earlyTerminationLayers() > 0 && unfocused(spec.id(), i);
      plan.piece(s, s + len, recompute, early ? config.earlyTerminationLayers() : BatchEntry.ALL_LAYERS,
          best.tier == StorageTier.HBM ? null : best.tier);
      plan.choices.add(new ChunkPlan.Choice(ids.get(i), prefix, s + len, plan.pieces() - 1, best, bestCfo, recompute,
          early, !best.prefix.equals(prefix)));
    }
    plan.piece((int) chunkTokens, target, target - (int) chunkTokens, BatchEntry.ALL_LAYERS, null);
    return plan;
  }

  /** Among equal CFOs: the faster tier, then the more used, then the older variant. */
  private static boolean better(ChunkCacheStore.Variant v, ChunkCacheStore.Variant than) {
    return Comparator.<ChunkCacheStore.Variant>comparingInt(x -> x.tier.ordinal())
        .thenComparingLong(x -> -x.uses).thenComparingLong(x -> x.id).compare(v, than) < 0;
  }

  /** The engine admitted the prefill {@code plan} describes: count the retrievals, use (load) the variants. */
  public void admit(ChunkPlan plan) {
    for (ChunkPlan.Choice c : plan.choices) {
      store.retrieved(c.chunk());
    }
    for (ChunkPlan.Choice c : plan.choices) {
      lookups++;
      int len = config.chunkTokens();
      if (c.variant() == null) {
        misses++;
        tokensMissed += len;
        continue;
      }
      StorageTier from = store.use(c.variant());
      plan.loadFrom(c.piece(), from); // where it actually was (an earlier chunk's promotion may have moved it)
      hits.merge(from, 1L, Long::sum);
      cfoSum += c.cfo();
      tokensReused += len - c.recompute();
      tokensRecomputed += c.recompute();
      tokensRecomputedEarlyTerminated += c.earlyTerminated() ? c.recompute() : 0;
    }
  }

  /** Tokens of the admitted plan's chunks that come from chunk-caches (not computed). */
  public int reusedTokens(ChunkPlan plan) {
    return plan.choices.stream().filter(c -> c.variant() != null).mapToInt(c -> config.chunkTokens() - c.recompute())
        .sum();
  }

  /** Adds the batch entries of advancing {@code plan} from {@code from} to {@code to}, and its loads. */
  public void addEntries(ChunkPlan plan, long requestId, int from, int to, List<BatchEntry> out) {
    List<StorageTier> loads = new ArrayList<>();
    int first = out.size();
    plan.entries(requestId, from, to, out, loads);
    for (int i = first; i < out.size(); i++) {
      BatchEntry e = out.get(i);
      tokenLayers += (double) e.tokens() * Math.min(e.layers(), modelLayers) / modelLayers;
    }
    for (StorageTier t : loads) {
      pendingTransferNs += deviceBytesPerVariant / config.bandwidthGBps(t); // bytes / (GB/s) = ns
      loadedBytes.merge(t, replicaBytesPerVariant, Double::sum);
    }
  }

  /**
   * The iteration's time once its chunk-cache loads overlap its compute layer by layer: max(C, T) + T / L
   * with loads, {@code computeNs} exactly without.
   */
  public double iterationTimeNs(double computeNs) {
    double t = pendingTransferNs;
    pendingTransferNs = 0;
    if (t == 0) {
      return computeNs;
    }
    double time = Math.max(computeNs, t) + t / modelLayers;
    transferNs += t;
    stallNs += time - computeNs;
    return time;
  }

  /** The prefill of {@code plan} has brought {@code computed} positions into the KV: store the new chunks passed. */
  public void progress(ChunkPlan plan, int computed) {
    while (plan.passed < plan.choices.size() && plan.choices.get(plan.passed).end() <= computed) {
      ChunkPlan.Choice c = plan.choices.get(plan.passed++);
      if (c.store()) {
        store.add(c.chunk(), c.prefix());
      }
    }
  }

  /** The policy's metrics, snake_case keys prefixed cache_craft_. */
  public Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cache_craft_reuse", config.reuse());
    m.put("cache_craft_chunk_lookups", lookups);
    long hitCount = hits.values().stream().mapToLong(Long::longValue).sum();
    m.put("cache_craft_hit_rate", rate(hitCount, lookups));
    for (StorageTier t : StorageTier.values()) {
      m.put("cache_craft_hit_rate_" + t.label(), rate(hits.getOrDefault(t, 0L), lookups));
    }
    m.put("cache_craft_chunk_tokens_reused", tokensReused);
    m.put("cache_craft_chunk_tokens_recomputed", tokensRecomputed);
    m.put("cache_craft_chunk_tokens_recomputed_early_terminated", tokensRecomputedEarlyTerminated);
    m.put("cache_craft_chunk_tokens_computed_on_miss", tokensMissed);
    m.put("cache_craft_recompute_fraction", tokensRecomputed + tokensReused > 0
        ? (double) tokensRecomputed / (tokensRecomputed + tokensReused) : 0.0);
    m.put("cache_craft_mean_cfo", rate(cfoSum, hitCount));
    m.put("cache_craft_prefill_tokens_layer_weighted", tokenLayers);
    for (StorageTier t : List.of(StorageTier.DRAM, StorageTier.NVME)) {
      m.put("cache_craft_bytes_" + t.label() + "_to_device", loadedBytes.getOrDefault(t, 0.0));
    }
    if (store != null) {
      store.check();
      for (String k : List.of("hbm_to_dram", "dram_to_nvme", "device_to_dram", "device_to_nvme")) {
        m.put("cache_craft_bytes_" + k, store.movedBytes().getOrDefault(k, 0.0));
      }
      for (StorageTier t : StorageTier.values()) {
        m.put("cache_craft_variants_" + t.label(), store.resident(t));
        m.put("cache_craft_capacity_variants_" + t.label(), tierVariants.get(t));
      }
      m.put("cache_craft_variants_dropped", store.dropped());
    }
    m.put("cache_craft_hbm_blocks", hbmBlocks);
    m.put("cache_craft_transfer_time_s", transferNs / 1e9);
    m.put("cache_craft_transfer_stall_s", stallNs / 1e9);
    return m;
  }

  private static double rate(double num, double den) {
    return den > 0 ? num / den : 0.0;
  }

  /** The chunk's CCI: uniform in [cciMin, cciMax] from a hash of its id and the seed. */
  double cci(String chunk) {
    return config.cciMin() + unit(config.seed() ^ 0x5DEECE66DL, chunk.hashCode()) * (config.cciMax() - config.cciMin());
  }

  /** Whether the question of request {@code id} leaves its chunk at {@code position} unfocused (seeded). */
  boolean unfocused(long id, int position) {
    return unit(Double.doubleToLongBits(unit(config.seed(), 0x7F4A7C15L)) ^ id, position) < config.unfocusedFraction();
  }

  /** A uniform draw in [0, 1) from two keys (SplitMix64's finaliser: every input bit reaches every output bit). */
  private static double unit(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    for (int i = 0; i < 2; i++) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
    }
    return (z >>> 11) * 0x1.0p-53;
  }
}
