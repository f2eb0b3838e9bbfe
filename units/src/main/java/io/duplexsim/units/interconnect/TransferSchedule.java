package io.duplexsim.units.interconnect;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * Point-to-point transfers with dependencies: what a collective algorithm compiles to. A transfer
 * starts once every transfer it depends on has been fully received; dependencies point only to
 * earlier transfers, so the schedule is acyclic by construction. Each transfer belongs to one
 * collective (an index), so several collectives can run at once and be reported apart.
 */
public final class TransferSchedule {
  private static final int[] NONE = new int[0];
  private final IntArrayList src = new IntArrayList();
  private final IntArrayList dst = new IntArrayList();
  private final LongArrayList bytes = new LongArrayList();
  private final IntArrayList collective = new IntArrayList();
  private final List<int[]> deps = new ArrayList<>();
  private int collectives;

  /** Opens a new collective; transfers added with its index are reported together. */
  public int newCollective() {
    return collectives++;
  }

  /** Adds a transfer and returns its id; {@code after} are ids of earlier transfers. */
  public int add(int collectiveIndex, int from, int to, long size, int... after) {
    if (collectiveIndex < 0 || collectiveIndex >= collectives) {
      throw new IllegalArgumentException("no collective " + collectiveIndex + "; call newCollective() first");
    }
    if (from < 0 || to < 0 || from == to) {
      throw new IllegalArgumentException("transfer from " + from + " to " + to);
    }
    if (size < 0) {
      throw new IllegalArgumentException("transfer of " + size + " bytes");
    }
    int id = src.size();
    for (int d : after) {
      if (d < 0 || d >= id) {
        throw new IllegalArgumentException("transfer " + id + " depends on " + d + ", not an earlier transfer");
      }
    }
    src.add(from);
    dst.add(to);
    bytes.add(size);
    collective.add(collectiveIndex);
    deps.add(after.length == 0 ? NONE : after.clone());
    return id;
  }

  public int size() {
    return src.size();
  }

  public int collectives() {
    return collectives;
  }

  public int src(int t) {
    return src.getInt(t);
  }

  public int dst(int t) {
    return dst.getInt(t);
  }

  public long bytes(int t) {
    return bytes.getLong(t);
  }

  public int collectiveOf(int t) {
    return collective.getInt(t);
  }

  /** Ids this transfer waits for (do not modify). */
  int[] deps(int t) {
    return deps.get(t);
  }

  /** Highest device id named by any transfer, or -1 if empty. */
  public int maxDevice() {
    int m = -1;
    for (int t = 0; t < size(); t++) {
      m = Math.max(m, Math.max(src(t), dst(t)));
    }
    return m;
  }
}
