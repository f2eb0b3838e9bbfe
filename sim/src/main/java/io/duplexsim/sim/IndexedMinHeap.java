package io.duplexsim.sim;

import java.util.Arrays;

/**
 * Binary min-heap of ids 0..n-1 keyed by a long, each id present at most once, with decrease- and
 * increase-key. Ties break by the smaller id, which fixes the order of simultaneous events.
 * Primitive arrays only: no allocation after construction.
 */
final class IndexedMinHeap {
  private final int[] heap;
  private final int[] pos;
  private final long[] keys;
  private int size;

  IndexedMinHeap(int capacity) {
    heap = new int[capacity];
    pos = new int[capacity];
    keys = new long[capacity];
    Arrays.fill(pos, -1);
  }

  boolean isEmpty() {
    return size == 0;
  }

  boolean contains(int id) {
    return pos[id] >= 0;
  }

  long key(int id) {
    return keys[id];
  }

  int peekId() {
    return heap[0];
  }

  int poll() {
    int top = heap[0];
    remove(top);
    return top;
  }

  /** Inserts {@code id} or moves it to {@code key}. */
  void offer(int id, long key) {
    if (pos[id] < 0) {
      heap[size] = id;
      pos[id] = size;
      keys[id] = key;
      siftUp(size++);
    } else {
      long old = keys[id];
      keys[id] = key;
      if (key < old) {
        siftUp(pos[id]);
      } else {
        siftDown(pos[id]);
      }
    }
  }

  void remove(int id) {
    int i = pos[id];
    if (i < 0) {
      return;
    }
    int last = heap[--size];
    pos[id] = -1;
    if (i < size) {
      heap[i] = last;
      pos[last] = i;
      siftDown(i);
      siftUp(pos[last]);
    }
  }

  private boolean less(int a, int b) {
    long ka = keys[a];
    long kb = keys[b];
    return ka < kb || (ka == kb && a < b);
  }

  private void siftUp(int i) {
    int id = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      int p = heap[parent];
      if (!less(id, p)) {
        break;
      }
      heap[i] = p;
      pos[p] = i;
      i = parent;
    }
    heap[i] = id;
    pos[id] = i;
  }

  private void siftDown(int i) {
    int id = heap[i];
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        break;
      }
      int r = l + 1;
      int c = (r < size && less(heap[r], heap[l])) ? r : l;
      if (!less(heap[c], id)) {
        break;
      }
      heap[i] = heap[c];
      pos[heap[i]] = i;
      i = c;
    }
    heap[i] = id;
    pos[id] = i;
  }
}
