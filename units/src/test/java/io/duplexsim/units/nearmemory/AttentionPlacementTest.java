package io.duplexsim.units.nearmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.units.nearmemory.AttentionPlacement.Pair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pairs land longest first on the least-loaded pseudo-channel, ties in request and head order. */
class AttentionPlacementTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void placementIsTheLongestFirstGreedyOverAStableSort(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int trial = 0; trial < 40; trial++) {
      int requests = 1 + random.nextInt(90);
      int kvHeads = 1 + random.nextInt(4);
      int[] q = new int[requests];
      int[] kv = new int[requests];
      for (int r = 0; r < requests; r++) {
        q[r] = 1 + random.nextInt(3);
        // few distinct lengths, so that ties (which the order must keep) are common
        kv[r] = q[r] + 16 * random.nextInt(6);
      }
      boolean causal = random.nextBoolean();
      Attention a = new Attention(0, Unit.LOGIC_PIM, IntSeq.empty(), IntSeq.of(q), IntSeq.of(kv), 4 * kvHeads,
          kvHeads, 128, causal, AttentionPhase.DECODE, TensorFormat.BF16, null);
      int stacks = 1 + random.nextInt(3);
      int perStack = 1 + random.nextInt(8);
      assertEquals(reference(a, stacks, perStack), AttentionPlacement.place(a, stacks, perStack),
          "trial " + trial);
    }
  }

  /** The placement as first written: a stable comparator sort, then the heap for every pair. */
  private static List<List<Pair>> reference(Attention a, int stacks, int perStack) {
    List<Pair> pairs = new ArrayList<>();
    for (int r = 0; r < a.requests(); r++) {
      long q = a.queryTokens().get(r);
      long kv = a.kvLengths().get(r);
      long visible = a.causal() ? q * (kv - q) + q * (q + 1) / 2 : q * kv;
      for (int h = 0; h < a.kvHeads(); h++) {
        pairs.add(new Pair(r, h, (int) q, (int) kv, a.groupSize() * visible));
      }
    }
    pairs.sort(Comparator.comparingInt(Pair::kvLength).reversed());
    int pcs = stacks * perStack;
    List<List<Pair>> perPc = new ArrayList<>();
    for (int pc = 0; pc < pcs; pc++) {
      perPc.add(new ArrayList<>());
    }
    PriorityQueue<long[]> least = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0])
        : Long.compare(x[1], y[1]));
    for (int p = 0; p < pcs; p++) {
      least.add(new long[] {0, p});
    }
    for (Pair pair : pairs) {
      long[] slot = least.poll();
      int p = (int) slot[1];
      perPc.get((p % stacks) * perStack + p / stacks).add(pair);
      slot[0] += pair.kvLength();
      least.add(slot);
    }
    return perPc;
  }
}
