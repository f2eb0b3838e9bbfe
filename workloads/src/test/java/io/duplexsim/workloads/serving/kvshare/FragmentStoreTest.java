package io.duplexsim.workloads.serving.kvshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FragmentStoreTest {
  @Test
  void theLeastRecentlyUsedFragmentGoesFirst() {
    FragmentStore s = new FragmentStore(10, 16);
    s.put(1, 48); // 3 blocks
    s.put(2, 33); // 3 blocks
    s.put(3, 64); // 4 blocks: full
    assertTrue(s.touch(1));
    s.put(4, 16); // evicts 2, the least recent since 1 was used
    assertTrue(s.contains(1) && s.contains(3) && s.contains(4));
    assertFalse(s.contains(2));
    assertEquals(1, s.evictions());
    assertEquals(8, s.usedBlocks());
    s.put(5, 160); // the whole store: everything else goes
    assertEquals(1, s.fragments());
    assertEquals(10, s.usedBlocks());
    s.put(6, 161); // larger than the store: not stored, nothing evicted
    assertTrue(s.contains(5) && !s.contains(6));
    assertEquals(4, s.evictions());
  }

  /** The store against a reference LRU built on LinkedHashMap's access order, over random operations. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void matchesAReferenceLru(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    FragmentStore s = new FragmentStore(40, 16);
    Map<Long, Integer> ref = new LinkedHashMap<>(16, 0.75f, true);
    int refUsed = 0;
    for (int op = 0; op < 5000; op++) {
      long key = rng.nextInt(30);
      int tokens = 1 + (int) (key * 37 % 200); // a key's length is fixed, as a content key's is
      if (rng.nextBoolean()) {
        assertEquals(ref.get(key) != null, s.touch(key));
      } else {
        int blocks = (tokens + 15) / 16;
        if (ref.get(key) == null && blocks <= 40) {
          while (refUsed + blocks > 40) {
            Long eldest = ref.keySet().iterator().next();
            refUsed -= ref.remove(eldest);
          }
          ref.put(key, blocks);
          refUsed += blocks;
        }
        s.put(key, tokens);
      }
      assertEquals(refUsed, s.usedBlocks());
      assertEquals(ref.size(), s.fragments());
    }
  }
}
