package io.duplexsim.workloads.serving.kvshare;

import it.unimi.dsi.fastutil.longs.Long2IntLinkedOpenHashMap;

/**
 * KVShare's store of fragment KV on the device: whole fragments, each in the blocks its tokens fill,
 * filed by content key ({@link io.duplexsim.workloads.serving.requests.PromptFragment#contentKey()}).
 * Its blocks are a fixed share of the KV capacity. Least recently used eviction: storing or reusing a
 * fragment makes it the most recent; when a new one does not fit, the least recent whole fragments go.
 * A fragment larger than the store is not stored.
 */
final class FragmentStore {
  private final long capacityBlocks;
  private final int blockSize;
  /** Blocks held by content key, least recently used first. */
  private final Long2IntLinkedOpenHashMap blocks = new Long2IntLinkedOpenHashMap();
  private long used;
  private long stored;
  private long evictions;

  FragmentStore(long capacityBlocks, int blockSize) {
    this.capacityBlocks = capacityBlocks;
    this.blockSize = blockSize;
  }

  boolean contains(long key) {
    return blocks.containsKey(key);
  }

  /** Marks a stored fragment as just used; false if it is not stored. */
  boolean touch(long key) {
    if (!blocks.containsKey(key)) {
      return false;
    }
    blocks.getAndMoveToLast(key);
    return true;
  }

  /** Stores a fragment of {@code tokens} tokens (or marks it used if stored), evicting the least recent. */
  void put(long key, int tokens) {
    if (touch(key)) {
      return;
    }
    int need = (int) ((tokens + (long) blockSize - 1) / blockSize);
    if (need > capacityBlocks) {
      return;
    }
    while (used + need > capacityBlocks) {
      used -= blocks.removeFirstInt();
      evictions++;
    }
    blocks.putAndMoveToLast(key, need);
    used += need;
    stored++;
  }

  long capacityBlocks() {
    return capacityBlocks;
  }

  long usedBlocks() {
    return used;
  }

  int fragments() {
    return blocks.size();
  }

  /** Fragments stored over the run (a re-store after eviction counts again). */
  long stored() {
    return stored;
  }

  long evictions() {
    return evictions;
  }
}
