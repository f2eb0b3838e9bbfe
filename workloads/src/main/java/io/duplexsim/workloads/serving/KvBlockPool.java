package io.duplexsim.workloads.serving;

/**
 * The device-side KV blocks of one replica, counted rather than named: without prefix caching no
 * block is shared, so a request's blocks are just a number (the caching policies will need block ids).
 */
final class KvBlockPool {
  private final long capacity;
  private long used;
  private long peak;

  KvBlockPool(long capacity) {
    this.capacity = capacity;
  }

  long free() {
    return capacity - used;
  }

  long used() {
    return used;
  }

  long peak() {
    return peak;
  }

  void allocate(long blocks) {
    if (blocks < 0 || blocks > free()) {
      throw new IllegalStateException("cannot allocate " + blocks + " KV blocks with " + free() + " free");
    }
    used += blocks;
    peak = Math.max(peak, used);
  }

  void release(long blocks) {
    if (blocks < 0 || blocks > used) {
      throw new IllegalStateException("cannot release " + blocks + " KV blocks with " + used + " in use");
    }
    used -= blocks;
  }
}
