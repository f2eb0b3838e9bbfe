package io.duplexsim.units.interconnect;

import io.duplexsim.sim.InputException;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link CollectiveRequest} into transfers of a {@link TransferSchedule}. A buffer of S
 * bytes over p devices is cut into p chunks (sizes differ by at most one byte). Dependencies are
 * per device: {@code int[][] start} lists, for each member, the transfers that must be received
 * before that member's data is ready for a phase; each phase returns the same for its end. A ring
 * step waits for the whole chunk of the step before it (no pipelining inside a step).
 */
final class CollectivePlanner {
  private static final int[] NONE = new int[0];
  private final TransferSchedule s;
  private final int collective;
  private final CollectiveAlgorithm algorithm;

  private CollectivePlanner(TransferSchedule s, int collective, CollectiveAlgorithm algorithm) {
    this.s = s;
    this.collective = collective;
    this.algorithm = algorithm;
  }

  /**
   * Adds {@code r}'s transfers to {@code s} as a new collective; returns the algorithm as run
   * ("ring", "hierarchical direct (2 nodes x 8)").
   */
  static String plan(TransferSchedule s, Fabric fabric, CollectiveRequest r) {
    int[] m = r.group();
    for (int d : m) {
      if (d >= fabric.devices()) {
        throw new InputException("collective group names device " + d + " but the system has " + fabric.devices()
            + " devices (0.." + (fabric.devices() - 1) + ")");
      }
    }
    CollectivePlanner p = new CollectivePlanner(s, s.newCollective(), r.algorithm());
    long[] chunks = split(r.payloadBytes(), m.length);
    int[][] none = empty(m.length);
    switch (r.op()) {
      case SEND_RECV -> {
        s.add(p.collective, m[0], m[1], r.payloadBytes());
        return "direct";
      }
      case ALL_TO_ALL -> {
        for (int i = 0; i < m.length; i++) {
          for (int k = 1; k < m.length; k++) {
            int j = (i + k) % m.length; // each device starts with a different receiver
            s.add(p.collective, m[i], m[j], chunks[j]);
          }
        }
        return "direct";
      }
      case ALL_GATHER -> {
        int[] owned = new int[m.length];
        for (int i = 0; i < m.length; i++) {
          owned[i] = i;
        }
        p.allGather(m, chunks, owned, none);
        return r.algorithm().label();
      }
      case REDUCE_SCATTER -> {
        p.reduceScatter(m, chunks, none);
        return r.algorithm().label();
      }
      case ALL_REDUCE -> {
        List<int[]> nodes = byNode(fabric, m);
        if (!r.hierarchical() || nodes.size() == 1) {
          p.allReduce(m, r.payloadBytes(), none);
          return r.algorithm().label();
        }
        p.hierarchicalAllReduce(nodes, r.payloadBytes());
        return "hierarchical " + r.algorithm().label() + " (" + nodes.size() + " nodes x " + nodes.get(0).length + ")";
      }
      default -> throw new IllegalStateException("unplanned op " + r.op());
    }
  }

  /** Members grouped by node, in group order; every node must hold the same number of them. */
  private static List<int[]> byNode(Fabric fabric, int[] m) {
    Map<Integer, IntArrayList> nodes = new LinkedHashMap<>();
    for (int d : m) {
      nodes.computeIfAbsent(fabric.nodeOf(d), k -> new IntArrayList()).add(d);
    }
    List<int[]> out = new ArrayList<>();
    for (IntArrayList l : nodes.values()) {
      out.add(l.toIntArray());
    }
    for (int[] l : out) {
      if (l.length != out.get(0).length) {
        throw new InputException("a hierarchical all-reduce needs the same number of group devices in every node; "
            + "this group has " + nodesDescription(fabric, nodes) + " (run it flat instead)");
      }
    }
    return out;
  }

  private static String nodesDescription(Fabric fabric, Map<Integer, IntArrayList> nodes) {
    List<String> parts = new ArrayList<>();
    nodes.forEach((node, l) -> parts.add(l.size() + " in node " + node));
    return String.join(", ", parts);
  }

  private void allReduce(int[] m, long bytes, int[][] start) {
    long[] chunks = split(bytes, m.length);
    Phase rs = reduceScatter(m, chunks, start);
    allGather(m, chunks, rs.owned, rs.done);
  }

  /**
   * Reduce-scatter inside each node, then an all-reduce of each reduced chunk among the devices
   * holding it in the other nodes (the inter-node links carry S/l per device, not S), then an
   * all-gather inside each node.
   */
  private int[][] hierarchicalAllReduce(List<int[]> nodes, long bytes) {
    int n = nodes.size();
    int l = nodes.get(0).length;
    long[] chunks = split(bytes, l);
    Phase[] local = new Phase[n];
    for (int k = 0; k < n; k++) {
      local[k] = reduceScatter(nodes.get(k), chunks, empty(l));
    }
    int[][][] crossDone = new int[n][l][];
    for (int r = 0; r < l; r++) {
      int[] peers = new int[n];
      int[][] start = new int[n][];
      for (int k = 0; k < n; k++) {
        peers[k] = nodes.get(k)[r];
        start[k] = local[k].done[r];
      }
      long[] sub = split(chunks[local[0].owned[r]], n);
      Phase rs = reduceScatter(peers, sub, start);
      int[][] done = allGather(peers, sub, rs.owned, rs.done);
      for (int k = 0; k < n; k++) {
        crossDone[k][r] = done[k];
      }
    }
    int[][] all = new int[n * l][];
    for (int k = 0; k < n; k++) {
      int[][] done = allGather(nodes.get(k), chunks, local[k].owned, crossDone[k]);
      System.arraycopy(done, 0, all, k * l, l);
    }
    return all;
  }

  /** What a phase leaves: per member, the transfers that complete it, and the chunk it owns. */
  private record Phase(int[][] done, int[] owned) {}

  private Phase reduceScatter(int[] m, long[] chunks, int[][] start) {
    int p = m.length;
    int[] owned = new int[p];
    if (p == 1) {
      return new Phase(start, owned);
    }
    IntArrayList[] received = lists(p);
    if (algorithm == CollectiveAlgorithm.RING) {
      int[] last = null;
      for (int step = 0; step < p - 1; step++) {
        int[] recv = new int[p];
        for (int i = 0; i < p; i++) {
          int next = (i + 1) % p;
          int chunk = Math.floorMod(i - step, p);
          recv[next] = s.add(collective, m[i], m[next], chunks[chunk], step == 0 ? start[i] : with(start[i], last[i]));
        }
        last = recv;
      }
      int[][] done = new int[p][];
      for (int i = 0; i < p; i++) {
        owned[i] = (i + 1) % p; // the chunk whose partial sum arrived last, now complete
        done[i] = with(start[i], last[i]);
      }
      return new Phase(done, owned);
    }
    for (int i = 0; i < p; i++) {
      owned[i] = i;
      for (int k = 1; k < p; k++) {
        int j = (i + k) % p;
        received[j].add(s.add(collective, m[i], m[j], chunks[j], start[i]));
      }
    }
    return new Phase(joined(start, received), owned);
  }

  private int[][] allGather(int[] m, long[] chunks, int[] owned, int[][] start) {
    int p = m.length;
    if (p == 1) {
      return start;
    }
    IntArrayList[] received = lists(p);
    if (algorithm == CollectiveAlgorithm.RING) {
      int[] held = owned.clone();
      int[] last = null;
      for (int step = 0; step < p - 1; step++) {
        int[] recv = new int[p];
        int[] nextHeld = new int[p];
        for (int i = 0; i < p; i++) {
          int next = (i + 1) % p;
          recv[next] = s.add(collective, m[i], m[next], chunks[held[i]], step == 0 ? start[i] : with(start[i], last[i]));
          nextHeld[next] = held[i];
          received[next].add(recv[next]);
        }
        held = nextHeld;
        last = recv;
      }
    } else {
      for (int i = 0; i < p; i++) {
        for (int k = 1; k < p; k++) {
          int j = (i + k) % p;
          received[j].add(s.add(collective, m[i], m[j], chunks[owned[i]], start[i]));
        }
      }
    }
    return joined(start, received);
  }

  /** {@code bytes} cut into {@code p} chunks, the first {@code bytes % p} one byte larger. */
  static long[] split(long bytes, int p) {
    long[] c = new long[p];
    for (int i = 0; i < p; i++) {
      c[i] = bytes / p + (i < bytes % p ? 1 : 0);
    }
    return c;
  }

  private static int[] with(int[] a, int t) {
    int[] r = java.util.Arrays.copyOf(a, a.length + 1);
    r[a.length] = t;
    return r;
  }

  private static int[][] joined(int[][] start, IntArrayList[] received) {
    int[][] done = new int[start.length][];
    for (int i = 0; i < start.length; i++) {
      IntArrayList l = new IntArrayList(start[i]);
      l.addAll(received[i]);
      done[i] = l.toIntArray();
    }
    return done;
  }

  private static int[][] empty(int p) {
    int[][] e = new int[p][];
    java.util.Arrays.fill(e, NONE);
    return e;
  }

  private static IntArrayList[] lists(int p) {
    IntArrayList[] l = new IntArrayList[p];
    for (int i = 0; i < p; i++) {
      l[i] = new IntArrayList();
    }
    return l;
  }
}
