package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KvBlockPoolTest {
  @Test
  void aReferencedCachedBlockIsNeverEvicted() {
    KvBlockPool pool = new KvBlockPool(3);
    IntArrayList a = new IntArrayList();
    pool.allocate(2, a);
    pool.register(a.getInt(0), 100);
    pool.register(a.getInt(1), 101);
    pool.release(a);
    assertEquals(3, pool.free(), "cached unreferenced blocks count as free");
    IntArrayList b = new IntArrayList();
    int shared = pool.lookup(100);
    pool.share(shared);
    b.add(shared);
    IntArrayList c = new IntArrayList();
    pool.allocate(2, c); // one never-used block, then must evict: only 101 is evictable
    assertEquals(shared, pool.lookup(100), "the referenced block keeps its content");
    assertEquals(-1, pool.lookup(101));
    assertTrue(!c.contains(shared));
    assertEquals(3, pool.used());
    assertThrows(IllegalStateException.class, () -> pool.allocate(1, new IntArrayList()));
    pool.check();
  }

  @Test
  void evictsTheLeastRecentlyFreedUnreferencedBlockFirst() {
    KvBlockPool pool = new KvBlockPool(4);
    List<IntArrayList> reqs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      IntArrayList r = new IntArrayList();
      pool.allocate(1, r);
      pool.register(r.getInt(0), 10 + i);
      reqs.add(r);
    }
    for (int i : new int[] {2, 0, 3, 1}) {
      pool.release(reqs.get(i)); // freed in the order 12, 10, 13, 11
    }
    int b = pool.lookup(10);
    pool.share(b); // 10 is in use again: out of the eviction order
    IntArrayList x = new IntArrayList();
    pool.allocate(1, x);
    assertEquals(-1, pool.lookup(12), "the oldest freed goes first");
    assertTrue(pool.lookup(13) >= 0 && pool.lookup(11) >= 0 && pool.lookup(10) == b);
    pool.allocate(1, x);
    assertEquals(-1, pool.lookup(13), "then the next oldest; 10, referenced, is skipped");
    assertEquals(2, pool.evictions());
    pool.check();
  }

  @Test
  void aRequestsTailBlocksAreEvictedBeforeItsHead() {
    KvBlockPool pool = new KvBlockPool(3);
    IntArrayList r = new IntArrayList();
    pool.allocate(3, r);
    for (int i = 0; i < 3; i++) {
      pool.register(r.getInt(i), 20 + i);
    }
    pool.release(r);
    pool.allocate(1, new IntArrayList());
    assertEquals(-1, pool.lookup(22), "a prefix lookup stops at the first miss, so the head must survive longest");
    assertTrue(pool.lookup(20) >= 0);
  }

  /** Random operations against a tiny reference model: a shared block counts once, nothing exceeds capacity. */
  @Test
  void randomOperationsKeepExactAccounting() {
    SplittableRandom rng = new SplittableRandom(3);
    KvBlockPool pool = new KvBlockPool(20);
    List<IntArrayList> holders = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      int op = rng.nextInt(3);
      if (op == 0 && pool.free() > 0) {
        IntArrayList h = new IntArrayList();
        pool.allocate(1 + rng.nextInt((int) Math.min(4, pool.free())), h);
        for (int i = 0; i < h.size(); i++) {
          pool.register(h.getInt(i), rng.nextInt(30)); // duplicates of a cached content stay unnamed
        }
        holders.add(h);
      } else if (op == 1) {
        int b = pool.lookup(rng.nextInt(30));
        if (b >= 0 && (!pool.unreferenced(b) || pool.free() > 0)) {
          pool.share(b);
          holders.add(IntArrayList.of(b));
        }
      } else if (!holders.isEmpty()) {
        pool.release(holders.remove(rng.nextInt(holders.size())));
      }
      long distinct = holders.stream().flatMapToInt(IntArrayList::intStream).distinct().count();
      assertEquals(distinct, pool.used(), "step " + step);
      assertTrue(pool.used() <= 20);
      pool.check();
    }
  }
}
