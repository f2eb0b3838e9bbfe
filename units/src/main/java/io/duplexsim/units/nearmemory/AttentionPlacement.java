package io.duplexsim.units.nearmemory;

import io.duplexsim.isa.Attention;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

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
    for (int pc = 0; pc < pcs; pc++) {
      perPc.add(new ArrayList<>());
    }
    if (pairs.size() <= pcs && (pairs.isEmpty() || pairs.get(pairs.size() - 1).kvLength() > 0)) {
      // each pair lands on an empty pseudo-channel and loads it: the heap would hand out positions in order
      for (int p = 0; p < pairs.size(); p++) {
        perPc.get((p % stacks) * pcsPerStack + p / stacks).add(pairs.get(p));
      }
      return perPc;
    }
    // Heap of (load, round-robin position); position p is pseudo-channel (p % stacks, p / stacks).
    PriorityQueue<long[]> least = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0])
        : Long.compare(x[1], y[1]));
    for (int p = 0; p < pcs; p++) {
      least.add(new long[] {0, p});
    }
    for (Pair pair : pairs) {
      long[] slot = least.poll();
      int p = (int) slot[1];
      perPc.get((p % stacks) * pcsPerStack + p / stacks).add(pair);
      slot[0] += pair.kvLength();
      least.add(slot);
    }
    return perPc;
  }
}
