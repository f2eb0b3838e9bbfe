package io.duplexsim.units.nearmemory;

import io.duplexsim.isa.Attention;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where decode attention's work sits: Duplex uses request and head parallelism across stacks, so each
 * (request, KV head) pair's K and V live in one pseudo-channel and that pseudo-channel's module does
 * the pair's whole attention. Pairs are placed longest KV first on the least-loaded pseudo-channel
 * (load = KV length; ties go round-robin over stacks, so equal loads spread evenly and every stack
 * shares its softmax unit among as few pairs as possible).
 */
final class AttentionPlacement {
  private AttentionPlacement() {}

  /**
   * One (request, KV head) pair.
   *
   * @param queryTokens the request's new tokens; with the GQA group they form the g query rows
   * @param kvLength keys (and values) the pair reads
   * @param scores softmax elements of the pair (g x visible keys, after a causal mask)
   */
  record Pair(int request, int kvHead, int queryTokens, int kvLength, long scores) {}

  /** Pairs per pseudo-channel (global index, stack-major), each list in the order its module runs them. */
  static List<List<Pair>> place(Attention a, int stacks, int pcsPerStack) {
    int pcs = stacks * pcsPerStack;
    int kvHeads = a.kvHeads();
    // longest first, then request and head order: sorted as (MAX - kv, request * kvHeads + head) pairs
    long[] order = new long[a.requests() * kvHeads];
    for (int r = 0; r < a.requests(); r++) {
      long longest = Integer.MAX_VALUE - a.kvLengths().get(r);
      for (int h = 0; h < kvHeads; h++) {
        order[r * kvHeads + h] = longest << 32 | (r * kvHeads + h);
      }
    }
    Arrays.sort(order);
    List<Pair> pairs = new ArrayList<>(order.length);
    for (long o : order) {
      int r = (int) o / kvHeads;
      long q = a.queryTokens().get(r);
      long kv = a.kvLengths().get(r);
      long visible = a.causal() ? q * (kv - q) + q * (q + 1) / 2 : q * kv;
      pairs.add(new Pair(r, (int) o % kvHeads, (int) q, (int) kv, a.groupSize() * visible));
    }
    List<List<Pair>> perPc = new ArrayList<>();
    int perPcExpected = pairs.size() / pcs + 1; // about even: sized once, not grown step by step
    for (int pc = 0; pc < pcs; pc++) {
      perPc.add(new ArrayList<>(perPcExpected));
    }
    if (pairs.size() <= pcs && (pairs.isEmpty() || pairs.get(pairs.size() - 1).kvLength() > 0)) {
      // each pair lands on an empty pseudo-channel and loads it: the heap would hand out positions in order
      for (int p = 0; p < pairs.size(); p++) {
        perPc.get((p % stacks) * pcsPerStack + p / stacks).add(pairs.get(p));
      }
      return perPc;
    }
    // Least-loaded first, ties to the lower round-robin position p, which is pseudo-channel
    // (p % stacks, p / stacks): a binary heap of positions ordered by (load, p), a total order. The
    // least position takes each pair in turn and sinks by its new load.
    long[] load = new long[pcs];
    int[] heap = new int[pcs];
    for (int p = 0; p < pcs; p++) {
      heap[p] = p; // all loads zero: position order is already a heap
    }
    for (Pair pair : pairs) {
      int p = heap[0];
      perPc.get((p % stacks) * pcsPerStack + p / stacks).add(pair);
      load[p] += pair.kvLength();
      siftDown(heap, load, p);
    }
    return perPc;
  }

  /** Sinks position {@code p}, at the root of {@code heap}, to its place by (load, position). */
  private static void siftDown(int[] heap, long[] load, int p) {
    int n = heap.length;
    long key = load[p];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      int c = heap[child];
      if (child + 1 < n) {
        int r = heap[child + 1];
        if (load[r] < load[c] || load[r] == load[c] && r < c) {
          child++;
          c = r;
        }
      }
      if (load[c] > key || load[c] == key && c > p) {
        break;
      }
      heap[i] = c;
      i = child;
    }
    heap[i] = p;
  }
}
