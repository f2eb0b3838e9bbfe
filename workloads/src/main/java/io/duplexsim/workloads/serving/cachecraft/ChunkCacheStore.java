package io.duplexsim.workloads.serving.cachecraft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The chunk-caches of one replica over the storage hierarchy (HBM slice, host DRAM, NVMe), each tier
 * holding a whole number of variants (all the same size: one chunk's KV). Frequency-aware: a tier that
 * is full keeps its most frequently retrieved chunks; a newcomer (a new variant, or one promoted after a
 * hit in a lower tier) takes the place of the tier's least valuable variant only if it is worth more, and
 * the one it displaces is demoted a tier (from NVMe it is dropped). Value: how often its chunk has been
 * retrieved, then how recently the variant was used, then age. Bytes moved between tiers are counted;
 * their timing is the policy's (loads to the device delay iterations, write-backs run in the background).
 */
final class ChunkCacheStore {
  /** One chunk's KV computed under one earlier prefix. */
  static final class Variant {
    final Chunk chunk;
    final List<String> prefix;
    final long id;
    StorageTier tier;
    long uses;
    long lastUse;

    Variant(Chunk chunk, List<String> prefix, long id) {
      this.chunk = chunk;
      this.prefix = List.copyOf(prefix);
      this.id = id;
    }
  }

  /** A chunk's retrieval count (its popularity) and stored variants. */
  static final class Chunk {
    final String id;
    long retrievals;
    final List<Variant> variants = new ArrayList<>();

    Chunk(String id) {
      this.id = id;
    }
  }

  private static final Comparator<Variant> LEAST_VALUABLE_FIRST = Comparator.<Variant>comparingLong(
      v -> v.chunk.retrievals).thenComparingLong(v -> v.lastUse).thenComparingLong(v -> v.id);

  private final Map<String, Chunk> chunks = new HashMap<>();
  private final Map<StorageTier, TreeSet<Variant>> tiers = new EnumMap<>(StorageTier.class);
  private final Map<StorageTier, Long> capacity = new EnumMap<>(StorageTier.class);
  private final int maxVariants;
  private final double bytesPerVariant;
  private long nextId;
  private long clock;
  /** Bytes moved, by "from_to" (hbm_to_dram, dram_to_nvme, device_to_dram, ...). */
  private final Map<String, Double> movedBytes = new HashMap<>();
  private long dropped;

  /**
   * @param capacity variants each tier holds
   * @param bytesPerVariant what one variant weighs over the whole replica
   */
  ChunkCacheStore(Map<StorageTier, Long> capacity, int maxVariants, double bytesPerVariant) {
    for (StorageTier t : StorageTier.values()) {
      tiers.put(t, new TreeSet<>(LEAST_VALUABLE_FIRST));
      this.capacity.put(t, capacity.getOrDefault(t, 0L));
    }
    this.maxVariants = maxVariants;
    this.bytesPerVariant = bytesPerVariant;
  }

  /** The stored variants of chunk {@code id} (empty if none). */
  List<Variant> variants(String id) {
    Chunk c = chunks.get(id);
    return c == null ? List.of() : c.variants;
  }

  /** Counts one retrieval of chunk {@code id} (hit or miss): popularity drives eviction. */
  void retrieved(String id) {
    Chunk c = chunks.computeIfAbsent(id, Chunk::new);
    List<Variant> resident = new ArrayList<>(c.variants);
    resident.forEach(this::unlist);
    c.retrievals++;
    resident.forEach(this::list);
  }

  /**
   * Marks {@code v} used by a prompt; a variant below HBM has just been loaded onto the device and stays
   * there if it is worth an HBM place (promotion). Returns the tier it was loaded from.
   */
  StorageTier use(Variant v) {
    StorageTier from = v.tier;
    if (from == null) {
      // dropped from NVMe by another chunk's placement since the prompt chose it: read before it went
      v.uses++;
      moved(StorageTier.NVME, "device", 1);
      return StorageTier.NVME;
    }
    unlist(v);
    v.uses++;
    v.lastUse = ++clock;
    if (from == StorageTier.HBM) {
      list(v);
      return from;
    }
    moved(from, "device", 1);
    v.tier = null;
    place(v, StorageTier.HBM, from);
    return from;
  }

  /**
   * Stores the KV a prompt just computed for chunk {@code id} after {@code prefix}, unless a variant with that
   * prefix exists. At the variant limit, a variant never reused since it was stored gives way; if all have
   * been reused, nothing is stored.
   */
  void add(String id, List<String> prefix) {
    Chunk c = chunks.computeIfAbsent(id, Chunk::new);
    if (c.variants.stream().anyMatch(v -> v.prefix.equals(prefix))) {
      return;
    }
    if (c.variants.size() >= maxVariants) {
      Variant unused = c.variants.stream().filter(v -> v.uses == 0)
          .min(Comparator.comparingLong(v -> v.lastUse)).orElse(null);
      if (unused == null) {
        return;
      }
      unlist(unused);
      c.variants.remove(unused);
      dropped++;
    }
    Variant v = new Variant(c, prefix, nextId++);
    v.lastUse = ++clock;
    c.variants.add(v);
    place(v, StorageTier.HBM, null);
  }

  /** Puts {@code v} in {@code tier} or, if it is not worth a place there, lower; {@code from}: where it was. */
  private void place(Variant v, StorageTier tier, StorageTier from) {
    while (tier != null) {
      TreeSet<Variant> set = tiers.get(tier);
      if (set.size() < capacity.get(tier)) {
        break;
      }
      Variant victim = set.isEmpty() ? null : set.first();
      if (victim != null && LEAST_VALUABLE_FIRST.compare(victim, v) < 0) {
        set.pollFirst();
        victim.tier = null;
        place(victim, tier.below(), tier); // demoted
        break;
      }
      tier = tier.below();
    }
    if (tier == null) {
      v.chunk.variants.remove(v);
      dropped++;
      return;
    }
    if (from == null || from.ordinal() < tier.ordinal()) {
      moved(from, tier.label(), 1); // written down; a promotion moved its bytes as the load to the device
    }
    v.tier = tier;
    tiers.get(tier).add(v);
  }

  private void moved(StorageTier from, String to, int variants) {
    String key = (from == null ? "device" : from.label()) + "_to_" + to;
    if (!key.equals("device_to_hbm")) { // a new variant is already in HBM, in its prompt's KV blocks
      movedBytes.merge(key, variants * bytesPerVariant, Double::sum);
    }
  }

  private void unlist(Variant v) {
    if (v.tier != null) {
      tiers.get(v.tier).remove(v);
    }
  }

  private void list(Variant v) {
    if (v.tier != null) {
      tiers.get(v.tier).add(v);
    }
  }

  /** Variants resident in {@code tier}. */
  int resident(StorageTier tier) {
    return tiers.get(tier).size();
  }

  /** Bytes moved between places, by "from_to". */
  Map<String, Double> movedBytes() {
    return movedBytes;
  }

  /** Variants dropped (out of NVMe, or replaced at the variant limit). */
  long dropped() {
    return dropped;
  }

  /** Checks that every listed variant is its chunk's and in its tier; throws if not. */
  void check() {
    long listed = 0;
    for (StorageTier t : StorageTier.values()) {
      TreeSet<Variant> set = tiers.get(t);
      if (set.size() > capacity.get(t)) {
        throw new IllegalStateException(t + " holds " + set.size() + " variants, capacity " + capacity.get(t));
      }
      for (Variant v : set) {
        if (v.tier != t || !v.chunk.variants.contains(v)) {
          throw new IllegalStateException("variant " + v.id + " of " + v.chunk.id + " misfiled in " + t);
        }
      }
      listed += set.size();
    }
    long held = chunks.values().stream().mapToLong(c -> c.variants.size()).sum();
    if (held != listed) {
      throw new IllegalStateException(held + " variants held by chunks but " + listed + " in the tiers");
    }
  }
}
