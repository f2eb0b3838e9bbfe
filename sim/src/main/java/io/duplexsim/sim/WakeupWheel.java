package io.duplexsim.sim;

import java.util.Arrays;

/**
 * The scheduler's pending wake-ups: ids 0..n-1 keyed by a tick, each id present at most once,
 * ordered by key and then by the smaller id (the order of simultaneous events), as
 * {@link IndexedMinHeap}, which it replaces for speed.
 *
 * <p>Most wake-ups fall a few cycles ahead of the current time (a DRAM controller's next command,
 * a client's next request), so keys within {@link #SLOTS} ticks of the last minimum found live in a
 * timer wheel: one bit set of ids per tick, and one bit per non-empty tick. Inserting, removing and
 * finding the minimum then cost a few bit operations instead of a sift through the heap. Keys
 * outside that window (far ahead, or before it) go to an {@link IndexedMinHeap}; the minimum is the
 * smaller of the two minima. Primitive arrays only: no allocation after construction.
 */
final class WakeupWheel {
  /** Ticks the wheel covers: a multiple of 64. */
  static final int SLOTS = 256;
  private static final int MASK = SLOTS - 1;
  private static final int SUMMARY_WORDS = SLOTS / 64;

  private int capacity;
  private int words;
  /** [slot * words + w]: ids with that slot's key. */
  private long[] slotIds;
  private final int[] slotCount = new int[SLOTS];
  /** Bit {@code s} set: slot {@code s} holds at least one id. */
  private final long[] occupied = new long[SUMMARY_WORDS];
  private long[] keys;
  /** Per id: 0 absent, 1 in the wheel, 2 in the overflow heap. */
  private byte[] where;
  private IndexedMinHeap overflow;
  private int size;
  /** Every key in the wheel lies in [base, base + SLOTS); base never exceeds any wheel key. */
  private long base;

  WakeupWheel(int capacity) {
    allocate(capacity);
  }

  private void allocate(int capacity) {
    this.capacity = capacity;
    this.words = Math.max(1, (capacity + 63) >>> 6);
    this.slotIds = new long[SLOTS * words];
    this.keys = new long[capacity];
    this.where = new byte[capacity];
    this.overflow = new IndexedMinHeap(capacity);
    Arrays.fill(slotCount, 0);
    Arrays.fill(occupied, 0);
    size = 0;
  }

  /** Room for ids up to {@code newCapacity - 1}, keeping the present ones and their keys. */
  void grow(int newCapacity) {
    if (newCapacity <= capacity) {
      return;
    }
    newCapacity = Math.max(newCapacity, 2 * capacity); // registering one by one stays linear
    long[] oldKeys = keys;
    byte[] oldWhere = where;
    int oldCapacity = capacity;
    long oldBase = base;
    allocate(newCapacity);
    base = oldBase;
    for (int id = 0; id < oldCapacity; id++) {
      if (oldWhere[id] != 0) {
        offer(id, oldKeys[id]);
      }
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  boolean contains(int id) {
    return where[id] != 0;
  }

  long key(int id) {
    return keys[id];
  }

  /** Inserts {@code id} or moves it to {@code key}. */
  void offer(int id, long key) {
    if (where[id] != 0) {
      if (keys[id] == key) {
        return;
      }
      remove(id);
    }
    size++;
    keys[id] = key;
    if (key >= base && key - base < SLOTS) {
      where[id] = 1;
      int slot = (int) key & MASK;
      slotIds[slot * words + (id >>> 6)] |= 1L << id;
      if (slotCount[slot]++ == 0) {
        occupied[slot >>> 6] |= 1L << slot;
      }
    } else {
      where[id] = 2;
      overflow.offer(id, key);
    }
  }

  void remove(int id) {
    byte w = where[id];
    if (w == 0) {
      return;
    }
    where[id] = 0;
    size--;
    if (w == 1) {
      int slot = (int) keys[id] & MASK;
      slotIds[slot * words + (id >>> 6)] &= ~(1L << id);
      if (--slotCount[slot] == 0) {
        occupied[slot >>> 6] &= ~(1L << slot);
      }
    } else {
      overflow.remove(id);
    }
  }

  /** The id with the least (key, id); the queue must not be empty. */
  int peekId() {
    int best = -1;
    long bestKey = Long.MAX_VALUE;
    int slot = firstOccupiedSlot();
    if (slot >= 0) {
      int row = slot * words;
      for (int w = 0; ; w++) {
        long bits = slotIds[row + w];
        if (bits != 0) {
          best = (w << 6) + Long.numberOfTrailingZeros(bits);
          break;
        }
      }
      bestKey = keys[best];
    }
    if (!overflow.isEmpty()) {
      int o = overflow.peekId();
      long k = keys[o];
      if (best < 0 || k < bestKey || (k == bestKey && o < best)) {
        best = o;
        bestKey = k;
      }
    }
    if (bestKey > base) {
      base = bestKey; // the least key of all: every wheel key is at or after it
    }
    return best;
  }

  /** The wheel's slot holding its least key (the first occupied one from base's), or -1. */
  private int firstOccupiedSlot() {
    int start = (int) base & MASK;
    int word = start >>> 6;
    long bits = occupied[word] & (-1L << start);
    if (bits != 0) {
      return (word << 6) + Long.numberOfTrailingZeros(bits);
    }
    for (int i = 1; i <= SUMMARY_WORDS; i++) {
      int wi = (word + i) % SUMMARY_WORDS;
      bits = occupied[wi];
      if (i == SUMMARY_WORDS) {
        bits &= ~(-1L << start); // back at the start word: only the slots before base's
      }
      if (bits != 0) {
        return (wi << 6) + Long.numberOfTrailingZeros(bits);
      }
    }
    return -1;
  }
}
