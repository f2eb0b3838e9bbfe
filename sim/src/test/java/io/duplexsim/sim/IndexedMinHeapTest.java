package io.duplexsim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexedMinHeapTest {

  /** Reference model: an ordered set of (key, id) plus the key of each present id. */
  private static final class Reference {
    final TreeSet<long[]> order =
        new TreeSet<>(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    final Map<Integer, Long> keyOf = new HashMap<>();

    void offer(int id, long key) {
      remove(id);
      order.add(new long[] {key, id});
      keyOf.put(id, key);
    }

    void remove(int id) {
      Long old = keyOf.remove(id);
      if (old != null) {
        order.remove(new long[] {old, id});
      }
    }

    int poll() {
      long[] first = order.pollFirst();
      keyOf.remove((int) first[1]);
      return (int) first[1];
    }
  }

  private static long randomKey(SplittableRandom r) {
    int kind = r.nextInt(20);
    if (kind == 0) {
      return Long.MAX_VALUE - r.nextInt(3);
    }
    if (kind == 1) {
      return Long.MIN_VALUE + r.nextInt(3);
    }
    if (kind < 10) {
      return r.nextInt(8); // many ties: exercise the id tie-break
    }
    return r.nextLong(-1_000_000, 1_000_000);
  }

  private static void assertSameState(IndexedMinHeap heap, Reference ref, int capacity, String where) {
    assertEquals(ref.order.isEmpty(), heap.isEmpty(), where + ": isEmpty");
    for (int id = 0; id < capacity; id++) {
      Long k = ref.keyOf.get(id);
      int i = id;
      assertEquals(k != null, heap.contains(id), () -> where + ": contains(" + i + ")");
      if (k != null) {
        assertEquals(k.longValue(), heap.key(id), () -> where + ": key(" + i + ")");
      }
    }
    if (!ref.order.isEmpty()) {
      assertEquals((int) ref.order.first()[1], heap.peekId(), where + ": peekId");
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 17, 42, 4711, 123_456_789L, -99, 0xDEADBEEFL, 0x5EED_5EED_5EEDL})
  void randomOperationSequencesMatchASortedSetOfKeyAndId(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int capacity = 1 + r.nextInt(48);
    IndexedMinHeap heap = new IndexedMinHeap(capacity);
    Reference ref = new Reference();
    int polls = 0;
    int moves = 0;
    for (int step = 0; step < 8_000; step++) {
      int op = r.nextInt(100);
      int id = r.nextInt(capacity);
      String where = "seed " + seed + " step " + step; // cheap enough: once per step
      if (op < 30) {
        long key = randomKey(r);
        heap.offer(id, key);
        ref.offer(id, key);
      } else if (op < 45) { // decrease-key of a present id
        if (ref.keyOf.containsKey(id)) {
          long old = ref.keyOf.get(id);
          long key = old > Long.MIN_VALUE + 16 ? old - 1 - r.nextInt(16) : old;
          heap.offer(id, key);
          ref.offer(id, key);
          moves++;
        }
      } else if (op < 60) { // increase-key of a present id
        if (ref.keyOf.containsKey(id)) {
          long old = ref.keyOf.get(id);
          long key = old < Long.MAX_VALUE - 16 ? old + 1 + r.nextInt(16) : old;
          heap.offer(id, key);
          ref.offer(id, key);
          moves++;
        }
      } else if (op < 65) { // re-offer with the same key: must not reorder anything
        if (ref.keyOf.containsKey(id)) {
          heap.offer(id, ref.keyOf.get(id));
        }
      } else if (op < 80) { // remove, present or not
        heap.remove(id);
        ref.remove(id);
      } else if (!ref.order.isEmpty()) {
        assertEquals(ref.poll(), heap.poll(), where + ": poll");
        polls++;
      }
      assertSameState(heap, ref, capacity, where);
    }
    // drain: everything comes out in (key, id) order
    List<Integer> expected = new ArrayList<>();
    List<Integer> actual = new ArrayList<>();
    while (!ref.order.isEmpty()) {
      expected.add(ref.poll());
      actual.add(heap.poll());
    }
    assertEquals(expected, actual);
    assertTrue(heap.isEmpty());
    assertTrue(polls > 400 && moves > 400, "the sequence must exercise polls and moves");
  }

  @Test
  void equalKeysComeOutBySmallerIdFirstWhateverTheInsertionOrder() {
    IndexedMinHeap heap = new IndexedMinHeap(10);
    int[] ids = {7, 2, 9, 0, 5, 3};
    for (int id : ids) {
      heap.offer(id, 100);
    }
    heap.offer(8, 99);
    List<Integer> out = new ArrayList<>();
    while (!heap.isEmpty()) {
      out.add(heap.poll());
    }
    assertEquals(List.of(8, 0, 2, 3, 5, 7, 9), out);
  }

  @Test
  void increasingTheMinimumsKeyLetsTheNextOneThrough() {
    IndexedMinHeap heap = new IndexedMinHeap(4);
    heap.offer(0, 1);
    heap.offer(1, 2);
    heap.offer(2, 3);
    heap.offer(0, 10);
    assertEquals(1, heap.peekId());
    heap.offer(2, 2); // decrease to tie with id 1: id 1 still first
    assertEquals(1, heap.poll());
    assertEquals(2, heap.poll());
    assertEquals(0, heap.poll());
    assertTrue(heap.isEmpty());
  }

  @Test
  void removingAnAbsentIdChangesNothing() {
    IndexedMinHeap heap = new IndexedMinHeap(3);
    heap.offer(1, 5);
    heap.remove(0);
    heap.remove(2);
    assertTrue(heap.contains(1));
    assertFalse(heap.contains(0));
    assertEquals(1, heap.poll());
    heap.remove(1);
    assertTrue(heap.isEmpty());
  }
}
