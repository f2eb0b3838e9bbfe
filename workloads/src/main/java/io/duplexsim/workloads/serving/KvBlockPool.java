package io.duplexsim.workloads.serving;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.Arrays;

/**
 * The device-side KV blocks of one replica, by id, with vLLM's prefix cache. A block is used while some
 * request references it (ref-counted: a cached block may be shared by several running requests, and
 * counts once). A full block can be registered under its content hash; when its last reference goes it
 * stays cached, in least-recently-freed order, and is still counted free, because its space is taken
 * back (evicted, hash forgotten) only when a new block is needed and no never-cached block is left.
 * Ids are created on first need, so memory follows the peak, not the capacity.
 */
final class KvBlockPool {
  private static final int NONE = -1;

  private final long capacity;
  private long used;
  private long peak;
  private long evictions;

  private int created;
  private int[] refs = new int[64];
  private long[] hash = new long[64];
  private boolean[] hashed = new boolean[64];
  /** The LRU list of cached, unreferenced blocks: head evicted first. */
  private int[] prev = new int[64];
  private int[] next = new int[64];
  private int head = NONE;
  private int tail = NONE;
  private int cachedFree;
  /** Unreferenced blocks holding nothing worth keeping. */
  private final IntArrayList empty = new IntArrayList();
  private final Long2IntOpenHashMap byHash = new Long2IntOpenHashMap();

  KvBlockPool(long capacity) {
    this.capacity = capacity;
    byHash.defaultReturnValue(NONE);
  }

  /** Blocks a new allocation may take: never used, emptied, or cached but unreferenced. */
  long free() {
    return capacity - used;
  }

  long used() {
    return used;
  }

  long peak() {
    return peak;
  }

  /** Cached blocks whose space was taken back for new blocks. */
  long evictions() {
    return evictions;
  }

  /** Cached blocks no request references (evictable). */
  int cachedFree() {
    return cachedFree;
  }

  /** Appends {@code blocks} new blocks to {@code into}, evicting the least recently freed cached ones if needed. */
  void allocate(long blocks, IntList into) {
    if (blocks < 0 || blocks > free()) {
      throw new IllegalStateException("cannot allocate " + blocks + " KV blocks with " + free() + " free");
    }
    for (long i = 0; i < blocks; i++) {
      int b;
      if (!empty.isEmpty()) {
        b = empty.popInt();
      } else if (created < capacity) {
        b = create();
      } else {
        b = head;
        unlink(b);
        byHash.remove(hash[b]);
        hashed[b] = false;
        evictions++;
      }
      refs[b] = 1;
      into.add(b);
    }
    used += blocks;
    peak = Math.max(peak, used);
  }

  /** The cached block holding {@code h}, or -1. */
  int lookup(long h) {
    return byHash.get(h);
  }

  /** Whether taking cached block {@code b} would use a free block (nobody references it yet). */
  boolean unreferenced(int b) {
    return refs[b] == 0;
  }

  /** Takes one more reference to cached block {@code b}, out of the eviction order if it was free. */
  void share(int b) {
    if (refs[b]++ == 0) {
      unlink(b);
      used++;
      peak = Math.max(peak, used);
    }
  }

  /** Registers full block {@code b} under {@code h}; a duplicate of an already cached content stays unnamed. */
  void register(int b, long h) {
    if (!hashed[b] && byHash.putIfAbsent(h, b) == NONE) {
      hash[b] = h;
      hashed[b] = true;
    }
  }

  /** Drops one reference to each block, last first: a request's tail blocks then are evicted before its head. */
  void release(IntList blocks) {
    for (int i = blocks.size() - 1; i >= 0; i--) {
      int b = blocks.getInt(i);
      if (refs[b] <= 0) {
        throw new IllegalStateException("KV block " + b + " released with no reference");
      }
      if (--refs[b] == 0) {
        used--;
        if (hashed[b]) {
          link(b);
        } else {
          empty.add(b);
        }
      }
    }
    blocks.clear();
  }

  /** Checks the accounting against the per-block state; throws if they disagree. */
  void check() {
    long referenced = 0;
    int listed = 0;
    for (int b = 0; b < created; b++) {
      referenced += refs[b] > 0 ? 1 : 0;
    }
    for (int b = head; b != NONE; b = next[b]) {
      listed++;
      if (refs[b] != 0 || !hashed[b] || byHash.get(hash[b]) != b) {
        throw new IllegalStateException("KV block " + b + " in the eviction order is referenced or not cached");
      }
    }
    if (referenced != used || listed != cachedFree || used > capacity || created > capacity
        || referenced + listed + empty.size() != created) {
      throw new IllegalStateException("KV pool accounting broken: used " + used + ", referenced " + referenced
          + ", cached free " + cachedFree + "/" + listed + ", empty " + empty.size() + ", created " + created
          + ", capacity " + capacity);
    }
  }

  private int create() {
    if (created == refs.length) {
      int n = (int) Math.min(capacity, 2L * refs.length);
      refs = Arrays.copyOf(refs, n);
      hash = Arrays.copyOf(hash, n);
      hashed = Arrays.copyOf(hashed, n);
      prev = Arrays.copyOf(prev, n);
      next = Arrays.copyOf(next, n);
    }
    return created++;
  }

  private void link(int b) {
    prev[b] = tail;
    next[b] = NONE;
    if (tail == NONE) {
      head = b;
    } else {
      next[tail] = b;
    }
    tail = b;
    cachedFree++;
  }

  private void unlink(int b) {
    if (prev[b] == NONE) {
      head = next[b];
    } else {
      next[prev[b]] = next[b];
    }
    if (next[b] == NONE) {
      tail = prev[b];
    } else {
      prev[next[b]] = prev[b];
    }
    cachedFree--;
  }
}
