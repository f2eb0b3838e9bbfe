package io.duplexsim.workloads.serving.cachecraft;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.Phase;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * How one prefill brings its prompt into the KV under Cache-Craft: the prompt's positions cut into pieces,
 * each with the tokens it computes and the layers they go through. A chunk served from a chunk-cache is
 * a piece of |chunk| positions that computes only its ceil(CFO x |chunk|) fixed tokens (through the first
 * N layers if early termination applies); a chunk computed from scratch, the question and anything after
 * it compute every position. Adjacent pieces that compute everything in every layer are one piece, so a
 * prompt nothing is reused for is one piece, priced exactly like the engine without the policy.
 *
 * <p>The engine's progress is a KV position ({@code from}); within a piece that computes c of its len
 * positions, the first x positions hold floor(x c / len) of its computed tokens (the fixed tokens are
 * spread over the chunk), so a prefill split by the token budget stops between them.
 */
public final class ChunkPlan {
  /** One chunk of the prompt: where it sits and what was decided for it. */
  record Choice(String chunk, List<String> prefix, int end, int piece, ChunkCacheStore.Variant variant, double cfo,
      int recompute, boolean earlyTerminated, boolean store) {}

  private final int target;
  private final IntArrayList start = new IntArrayList();
  private final IntArrayList end = new IntArrayList();
  private final IntArrayList compute = new IntArrayList();
  private final IntArrayList layers = new IntArrayList();
  /** Per piece: the tier its chunk-cache is loaded from, null for none (computed, or already in HBM). */
  private final List<StorageTier> loadFrom = new ArrayList<>();
  final List<Choice> choices = new ArrayList<>();
  /** Chunks whose end the prefill has passed (stored if new). */
  int passed;

  ChunkPlan(int target) {
    this.target = target;
  }

  /** Appends the piece [from, to) computing {@code tokens} of it through {@code layerLimit} layers. */
  void piece(int from, int to, int tokens, int layerLimit, StorageTier load) {
    int last = start.size() - 1;
    boolean full = tokens == to - from && layerLimit == BatchEntry.ALL_LAYERS && load == null;
    if (full && last >= 0 && end.getInt(last) == from && compute.getInt(last) == from - start.getInt(last)
        && layers.getInt(last) == BatchEntry.ALL_LAYERS && loadFrom.get(last) == null) {
      end.set(last, to);
      compute.set(last, to - start.getInt(last));
      return;
    }
    start.add(from);
    end.add(to);
    compute.add(tokens);
    layers.add(tokens == 0 ? BatchEntry.ALL_LAYERS : layerLimit);
    loadFrom.add(load);
  }

  void loadFrom(int piece, StorageTier tier) {
    loadFrom.set(piece, tier == StorageTier.HBM ? null : tier);
  }

  /** Positions of the prompt (and generated tokens) this prefill brings into the KV. */
  public int target() {
    return target;
  }

  public int pieces() {
    return start.size();
  }

  /** Tokens computed between KV positions {@code from} and {@code to}. */
  public int compute(int from, int to) {
    int sum = 0;
    for (int i = 0; i < start.size(); i++) {
      int a = Math.max(from, start.getInt(i));
      int b = Math.min(to, end.getInt(i));
      if (a < b) {
        sum += before(i, b - start.getInt(i)) - before(i, a - start.getInt(i));
      }
    }
    return sum;
  }

  /** Tokens still to compute from KV position {@code from}. */
  public int computeRemaining(int from) {
    return compute(from, target);
  }

  /**
   * KV positions a prefill at {@code from} advances with a budget of {@code budget} computed tokens: as far
   * as the budget reaches, passing reused positions for free.
   */
  public int advance(int from, int budget) {
    int pos = from;
    int left = budget;
    for (int i = 0; i < start.size() && pos < target; i++) {
      int s = start.getInt(i);
      int e = end.getInt(i);
      if (e <= pos) {
        continue;
      }
      int len = e - s;
      int c = compute.getInt(i);
      int done = before(i, pos - s);
      if (c - done <= left) {
        left -= c - done;
        pos = e;
        continue;
      }
      // the last position y with before(y) <= done + left: floor(y c / len) <= T <=> y <= ((T + 1) len - 1) / c
      long t = done + left;
      pos = s + (int) (((t + 1) * len - 1) / c);
      break;
    }
    return pos - from;
  }

  /** The batch entries of advancing from {@code from} to {@code to}; returns the tier loads of pieces begun. */
  void entries(long requestId, int from, int to, List<BatchEntry> out, List<StorageTier> loads) {
    for (int i = 0; i < start.size(); i++) {
      int s = start.getInt(i);
      int a = Math.max(from, s);
      int b = Math.min(to, end.getInt(i));
      if (a >= b) {
        continue;
      }
      int tokens = before(i, b - s) - before(i, a - s);
      if (tokens > 0) {
        out.add(new BatchEntry(requestId, Phase.PREFILL, tokens, b, layers.getInt(i)));
      }
      if (a == s && loadFrom.get(i) != null) {
        loads.add(loadFrom.get(i));
      }
    }
  }

  int layers(int piece) {
    return layers.getInt(piece);
  }

  int computeOf(int piece) {
    return compute.getInt(piece);
  }

  /** Computed tokens among the first x positions of piece i. */
  private int before(int i, int x) {
    int len = end.getInt(i) - start.getInt(i);
    int c = compute.getInt(i);
    return c == len ? x : (int) ((long) x * c / len);
  }
}
