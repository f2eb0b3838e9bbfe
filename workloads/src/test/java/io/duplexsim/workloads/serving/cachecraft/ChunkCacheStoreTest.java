package io.duplexsim.workloads.serving.cachecraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkCacheStoreTest {
  private static ChunkCacheStore store(long hbm, long dram, long nvme, int variants) {
    return new ChunkCacheStore(Map.of(StorageTier.HBM, hbm, StorageTier.DRAM, dram, StorageTier.NVME, nvme), variants,
        100);
  }

  private static StorageTier tierOf(ChunkCacheStore s, String chunk) {
    return s.variants(chunk).get(0).tier;
  }

  @Test
  void aFullTierKeepsTheMoreFrequentlyRetrievedChunk() {
    ChunkCacheStore s = store(1, 1, 1, 5);
    for (int i = 0; i < 3; i++) {
      s.retrieved("hot");
    }
    s.add("hot", List.of());
    s.retrieved("cold");
    s.add("cold", List.of());
    assertEquals(StorageTier.HBM, tierOf(s, "hot"));
    assertEquals(StorageTier.DRAM, tierOf(s, "cold"), "written straight to DRAM: not worth hot's place");
    assertEquals(100.0, s.movedBytes().get("device_to_dram"));
    // a chunk that becomes hotter than hot takes its place, hot is demoted
    for (int i = 0; i < 4; i++) {
      s.retrieved("cold");
    }
    assertEquals(StorageTier.DRAM, s.use(s.variants("cold").get(0)), "loaded from DRAM");
    assertEquals(StorageTier.HBM, tierOf(s, "cold"), "promoted");
    assertEquals(StorageTier.DRAM, tierOf(s, "hot"), "demoted");
    assertEquals(100.0, s.movedBytes().get("hbm_to_dram"));
    s.retrieved("third");
    s.add("third", List.of());
    assertEquals(StorageTier.NVME, tierOf(s, "third"));
    s.retrieved("fourth");
    s.add("fourth", List.of());
    assertTrue(s.variants("fourth").isEmpty() || s.variants("third").isEmpty(), "the NVMe tier holds one");
    assertEquals(1, s.dropped());
    s.check();
  }

  @Test
  void variantsAreOnePerPrefixUpToTheLimitAndOnlyUnusedOnesGiveWay() {
    ChunkCacheStore s = store(100, 0, 0, 2);
    s.add("x", List.of("a"));
    s.add("x", List.of("a"));
    assertEquals(1, s.variants("x").size(), "one per prefix");
    s.add("x", List.of("b"));
    s.use(s.variants("x").get(0));
    s.add("x", List.of("c"));
    assertEquals(List.of(List.of("a"), List.of("c")), s.variants("x").stream().map(v -> v.prefix).toList(),
        "the unused variant after b gave way");
    s.use(s.variants("x").get(1));
    s.add("x", List.of("d"));
    assertEquals(2, s.variants("x").size());
    assertEquals(List.of("c"), s.variants("x").get(1).prefix, "all used: nothing replaced");
    s.check();
  }

  @Test
  void aVariantDroppedAfterAPromptChoseItIsStillReadFromNvmeOnce() {
    ChunkCacheStore s = store(0, 0, 1, 5);
    s.retrieved("a");
    s.add("a", List.of());
    ChunkCacheStore.Variant chosen = s.variants("a").get(0);
    for (int i = 0; i < 3; i++) {
      s.retrieved("b");
    }
    s.add("b", List.of()); // hotter: takes NVMe's only place
    assertTrue(s.variants("a").isEmpty());
    assertEquals(StorageTier.NVME, s.use(chosen));
    assertTrue(s.variants("a").isEmpty(), "not stored again");
    s.check();
  }

  /** Random traffic never breaks the tiers' bookkeeping or their capacities. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void randomTrafficKeepsTheBookkeeping(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    ChunkCacheStore s = store(3, 5, 7, 3);
    for (int i = 0; i < 2000; i++) {
      String c = "c" + rng.nextInt(20);
      s.retrieved(c);
      List<ChunkCacheStore.Variant> v = s.variants(c);
      if (!v.isEmpty() && rng.nextBoolean()) {
        s.use(v.get(rng.nextInt(v.size())));
      } else {
        s.add(c, List.of("p" + rng.nextInt(4)));
      }
      s.check();
    }
    assertEquals(3, s.resident(StorageTier.HBM));
    assertEquals(5, s.resident(StorageTier.DRAM));
    assertEquals(7, s.resident(StorageTier.NVME));
  }
}
