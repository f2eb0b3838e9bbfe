package io.duplexsim.units.interconnect;

import java.util.Arrays;

/**
 * Bytes of transfers that become available at a port at a given cycle, oldest first (equal cycles in
 * offer order). Parallel primitive arrays in a ring; offers come almost always in time order, so
 * the sorted insert scans back one slot.
 */
final class ArrivalQueue {
  private long[] cycle = new long[16];
  private int[] transfer = new int[16];
  private long[] bytes = new long[16];
  private int head;
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  long peekCycle() {
    return cycle[head];
  }

  int peekTransfer() {
    return transfer[head];
  }

  long peekBytes() {
    return bytes[head];
  }

  void poll() {
    head = (head + 1) & (cycle.length - 1);
    size--;
  }

  void offer(long at, int t, long b) {
    if (size == cycle.length) {
      grow();
    }
    int mask = cycle.length - 1;
    int i = size;
    // Shift later arrivals one slot back until the new one fits (stable for equal cycles).
    while (i > 0 && cycle[(head + i - 1) & mask] > at) {
      int from = (head + i - 1) & mask;
      int to = (head + i) & mask;
      cycle[to] = cycle[from];
      transfer[to] = transfer[from];
      bytes[to] = bytes[from];
      i--;
    }
    int slot = (head + i) & mask;
    cycle[slot] = at;
    transfer[slot] = t;
    bytes[slot] = b;
    size++;
  }

  private void grow() {
    int n = cycle.length;
    long[] c = new long[n * 2];
    int[] t = new int[n * 2];
    long[] b = new long[n * 2];
    for (int i = 0; i < size; i++) {
      int from = (head + i) & (n - 1);
      c[i] = cycle[from];
      t[i] = transfer[from];
      b[i] = bytes[from];
    }
    cycle = c;
    transfer = t;
    bytes = b;
    head = 0;
    Arrays.fill(c, size, c.length, 0);
  }
}
