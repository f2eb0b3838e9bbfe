package io.duplexsim.units.xpu;

import java.util.List;

/**
 * The work items of a grouped GEMM (several independent problems whose tiles share one queue, as
 * batched and grouped GEMM kernels do): each problem keeps its own {@link GemmTiling}, items are
 * numbered problem after problem, and a causal mask drops tiles no row of theirs may see. With one
 * unmasked problem, item t is that problem's tile t.
 */
final class GroupedTiling {
  private final GemmProblem[] problems;
  private final GemmTiling[] tilings;
  private final int[] firstItem;
  private final int[][] live; // per problem: local tiles kept by the mask, null if all
  private final long macs;

  GroupedTiling(XpuConfig x, List<GemmProblem> list, int arrayColsEffective, double xBytes, double wBytes) {
    int count = list.size();
    if (count == 0) {
      throw new IllegalArgumentException("a grouped GEMM needs at least one problem");
    }
    problems = list.toArray(new GemmProblem[0]);
    tilings = new GemmTiling[count];
    firstItem = new int[count + 1];
    live = new int[count][];
    // Problems share the SMs: each tiling is chosen for its share, so a small problem is not split
    // over SMs the others keep busy.
    int smShare = Math.max(1, x.sms() / count);
    long total = 0;
    long macCount = 0;
    for (int p = 0; p < count; p++) {
      GemmProblem q = problems[p];
      GemmTiling t = GemmTiling.choose(x, q.m(), q.k(), q.n(), arrayColsEffective, xBytes, wBytes, smShare,
          q.mask() == GemmProblem.Mask.NONE);
      tilings[p] = t;
      if (q.mask() == GemmProblem.Mask.KEYS_ON_N) {
        int[] kept = new int[t.tiles()];
        int n = 0;
        for (int tile = 0; tile < t.tiles(); tile++) {
          int lastRow = t.mTile(tile) * t.tileM() + t.rows(t.mTile(tile)) - 1;
          if ((long) t.nTile(tile) * t.tileN() <= q.lastKey(lastRow)) {
            kept[n++] = tile;
          }
        }
        live[p] = java.util.Arrays.copyOf(kept, n);
      }
      firstItem[p] = (int) total;
      int items = live[p] == null ? t.tiles() : live[p].length;
      total += items;
      for (int i = 0; i < items; i++) {
        int tile = live[p] == null ? i : live[p][i];
        long depth = 0;
        for (int s = kStepBegin(p, t, tile); s < kStepEnd(p, t, tile); s++) {
          depth += t.depth(s);
        }
        macCount += (long) t.rows(t.mTile(tile)) * t.cols(t.nTile(tile)) * depth;
      }
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("grouped GEMM has too many tiles: " + total);
    }
    firstItem[count] = (int) total;
    macs = macCount;
  }

  int problems() {
    return problems.length;
  }

  int items() {
    return firstItem[problems.length];
  }

  /** The problem item {@code item} belongs to. */
  int problem(int item) {
    int lo = 0;
    int hi = problems.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (firstItem[mid] <= item) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  GemmProblem spec(int problem) {
    return problems[problem];
  }

  GemmTiling tiling(int problem) {
    return tilings[problem];
  }

  /** Item {@code item}'s tile within its problem's tiling. */
  int localTile(int problem, int item) {
    int local = item - firstItem[problem];
    return live[problem] == null ? local : live[problem][local];
  }

  int kStepBegin(int problem, int tile) {
    return kStepBegin(problem, tilings[problem], tile);
  }

  int kStepEnd(int problem, int tile) {
    return kStepEnd(problem, tilings[problem], tile);
  }

  private int kStepBegin(int p, GemmTiling t, int tile) {
    return t.kStepBegin(tile);
  }

  /** A mask over K ends a row block's reduction after its last visible key (masked problems do not split K). */
  private int kStepEnd(int p, GemmTiling t, int tile) {
    GemmProblem q = problems[p];
    if (q.mask() != GemmProblem.Mask.KEYS_ON_K) {
      return t.kStepEnd(tile);
    }
    int lastRow = t.mTile(tile) * t.tileM() + t.rows(t.mTile(tile)) - 1;
    long end = (long) q.lastKey(lastRow) / t.tileK() + 1;
    return (int) Math.min(t.kStepEnd(tile), end);
  }

  /** MACs the items issue, masked-off work inside kept tiles included. */
  long macs() {
    return macs;
  }
}
