package io.duplexsim.workloads.system;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.exec.CoProcessingPairs;
import io.duplexsim.units.exec.DeviceExecutor;
import io.duplexsim.workloads.compiler.LayerSegment;
import io.duplexsim.workloads.compiler.OpCategory;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntBiFunction;

/**
 * A {@link LayerSegment} with every instruction priced once, in primitive arrays: its unit, duration (in
 * the executor's whole picoseconds) and local deps in issue order, and the segment's energy by bucket.
 * Replaying it wherever the segment is placed gives the schedule and sums the device executor would
 * compute from the whole trace, because an instruction's price depends only on its shape, never on its
 * id, deps or neighbours (Duplex+PE's attention pairs aside, priced by both shapes as the executor does).
 *
 * <p>The schedule is also summarised: every end time in the segment is the largest of (an input's end,
 * or a unit queue's free time at the segment's start) plus a constant, since starts are maxima and
 * ends sums. In whole picoseconds these sums are exact, so the summary's output end, queue free times
 * and latest end equal the instruction-by-instruction schedule bit for bit, in a few operations per
 * placement (a layer's segments are placed some hundred thousand times in a serving run).
 */
final class PricedSegment {
  /** "Does not depend on this variable": far below any time, and still far below after adding one. */
  static final long NEVER = Long.MIN_VALUE / 4;

  final int inputs;
  final int size;
  final int[] unit;
  final long[] timePs;
  /** Deps of instruction i are {@code deps[depStart[i] .. depStart[i+1])}, as local ids. */
  final int[] depStart;
  final int[] deps;
  /**
   * The segment's energy: {@code energyPj[j]} in bucket {@code energyBucket[j]}, for every bucket some
   * instruction names (zero or not: a bucket named only with zeros still appears in the iteration's
   * energy). Each is summed in issue order and key order, as {@link #subtotal} sums a placed segment.
   */
  final int[] energyBucket;
  final double[] energyPj;

  /** Units the segment uses, and its busy time on each (ps, indexed by unit ordinal). */
  final int[] unitsUsed;
  final long[] busyPs;
  /** The unit queues the segment's instructions wait in (units, or the one shared queue when serial). */
  final int[] queues;
  /** Summary variables: the inputs' end times, then {@link #queues}' free times at the segment's start. */
  final int vars;
  /** Local id of the segment's result: an input's (passed through) or one of its instructions'. */
  final int output;
  /**
   * The summary as rows of {@link #vars} constants ({@link #NEVER} where a time does not depend on the
   * variable): row 0 the output's end (for an instruction output), row 1 the latest end, then each queue's
   * free time at the segment's end.
   */
  final long[] forms;

  /**
   * {@code bucket} maps an instruction's (category, energy key) to its energy bucket; {@code overlap}
   * false puts every instruction in one queue, as the executor's serial mode does.
   */
  PricedSegment(LayerSegment s, ShapePrices prices, ToIntBiFunction<OpCategory, String> bucket, boolean overlap) {
    // (each loop over the instructions is a method of its own: a segment is priced anew every iteration,
    // and loops here made the JIT compile this constructor at several loop entries as well as whole)
    inputs = s.inputs();
    size = s.size();
    output = s.output();
    unit = new int[size];
    timePs = new long[size];
    depStart = new int[size + 1];
    ShapePrices.Price[] priced = priceAll(s, prices, overlap);
    deps = new int[depCount(s)];
    BitSet named = new BitSet();
    double[] sums = lay(s, priced, bucket, unit, timePs, depStart, deps, named);
    energyBucket = named.stream().toArray();
    energyPj = new double[energyBucket.length];
    for (int j = 0; j < energyBucket.length; j++) {
      energyPj[j] = sums[energyBucket[j]];
    }
    int units = Unit.values().length;
    busyPs = new long[units];
    BitSet usedUnits = new BitSet();
    BitSet usedQueues = new BitSet();
    busy(unit, timePs, overlap, busyPs, usedUnits, usedQueues);
    unitsUsed = usedUnits.stream().toArray();
    queues = usedQueues.stream().toArray();
    vars = inputs + queues.length;
    forms = summarise(overlap, units);
  }

  /** Every instruction's price; with {@code overlap}, Duplex+PE's attention pairs as they run at once. */
  private static ShapePrices.Price[] priceAll(LayerSegment s, ShapePrices prices, boolean overlap) {
    int size = s.size();
    ShapePrices.Price[] priced = new ShapePrices.Price[size];
    for (int i = 0; i < size; i++) {
      priced[i] = prices.price(s.instruction(i));
    }
    if (overlap) {
      // as the device executor prices Duplex+PE's attention co-processing: the pair as it runs at once
      int[] pairs = CoProcessingPairs.of(size, s::instruction);
      for (int k = 0; k < pairs.length; k += 2) {
        int x = pairs[k];
        int p = pairs[k + 1];
        ShapePrices.Price[] together = prices.priceTogether((Attention) s.instruction(x),
            (Attention) s.instruction(p), priced[x], priced[p]);
        if (together != null) {
          priced[x] = together[0];
          priced[p] = together[1];
        }
      }
    }
    return priced;
  }

  private static int depCount(LayerSegment s) {
    int n = 0;
    for (int i = 0; i < s.size(); i++) {
      n += s.instruction(i).deps().size();
    }
    return n;
  }

  /**
   * Fills each instruction's unit, time and deps, marks the energy buckets named in {@code named}, and
   * returns the energy per bucket, summed in issue order and key order.
   */
  private static double[] lay(LayerSegment s, ShapePrices.Price[] priced, ToIntBiFunction<OpCategory, String> bucket,
      int[] unit, long[] timePs, int[] depStart, int[] deps, BitSet named) {
    int size = unit.length;
    double[] sums = new double[0];
    int dp = 0;
    for (int i = 0; i < size; i++) {
      Instruction ins = s.instruction(i);
      unit[i] = ins.unit().ordinal();
      timePs[i] = DeviceExecutor.picoseconds(priced[i].timeNs);
      depStart[i] = dp;
      IntSeq d = ins.deps();
      for (int k = 0; k < d.size(); k++) {
        deps[dp++] = d.get(k);
      }
      int[] buckets = priced[i].buckets(s.category(i), bucket);
      for (int k = 0; k < buckets.length; k++) {
        named.set(buckets[k]);
        if (buckets[k] >= sums.length) {
          sums = Arrays.copyOf(sums, buckets[k] + 1);
        }
        sums[buckets[k]] += priced[i].pj[k];
      }
    }
    depStart[size] = dp;
    return sums;
  }

  /** Each unit's busy time, and the units and queues the instructions use. */
  private static void busy(int[] unit, long[] timePs, boolean overlap, long[] busyPs, BitSet usedUnits,
      BitSet usedQueues) {
    for (int i = 0; i < unit.length; i++) {
      busyPs[unit[i]] += timePs[i];
      usedUnits.set(unit[i]);
      usedQueues.set(overlap ? unit[i] : 0);
    }
  }

  /** The max-plus summary of the schedule (see the class comment), built by scheduling symbolically. */
  private long[] summarise(boolean overlap, int units) {
    long[][] queueFree = new long[units][];
    for (int q = 0; q < queues.length; q++) {
      queueFree[queues[q]] = unitVector(inputs + q);
    }
    long[][] end = new long[size][];
    long[] latest = new long[vars];
    Arrays.fill(latest, NEVER);
    for (int i = 0; i < size; i++) {
      int queue = overlap ? unit[i] : 0;
      long[] start = queueFree[queue].clone();
      for (int k = depStart[i]; k < depStart[i + 1]; k++) {
        int local = deps[k];
        long[] dep = local < inputs ? unitVector(local) : end[local - inputs];
        for (int v = 0; v < vars; v++) {
          start[v] = Math.max(start[v], dep[v]);
        }
      }
      long[] e = start;
      for (int v = 0; v < vars; v++) {
        e[v] = e[v] == NEVER ? NEVER : e[v] + timePs[i];
        latest[v] = Math.max(latest[v], e[v]);
      }
      end[i] = e;
      queueFree[queue] = e;
    }
    long[] out = new long[(2 + queues.length) * vars];
    if (output >= inputs) {
      System.arraycopy(end[output - inputs], 0, out, 0, vars);
    }
    System.arraycopy(latest, 0, out, vars, vars);
    for (int q = 0; q < queues.length; q++) {
      System.arraycopy(queueFree[queues[q]], 0, out, (2 + q) * vars, vars);
    }
    return out;
  }

  private long[] unitVector(int var) {
    long[] x = new long[vars];
    Arrays.fill(x, NEVER);
    x[var] = 0;
    return x;
  }

  /**
   * Adds the energy of one placed segment's instructions ({@code results}, in issue order, with their
   * {@code buckets}) to {@code sums} as a replay of its priced segment does: summed per bucket over the
   * segment first, then added. {@code used} marks every bucket named.
   */
  static void subtotal(List<OpResult> results, int from, int to, OpCategory[] categories,
      ToIntBiFunction<OpCategory, String> bucket, double[] sums, boolean[] used) {
    double[] segment = new double[sums.length];
    boolean[] named = new boolean[sums.length];
    for (int i = from; i < to; i++) {
      for (Map.Entry<String, Double> e : results.get(i).energyBreakdownPj().entrySet()) {
        int b = bucket.applyAsInt(categories[i], e.getKey());
        segment[b] += e.getValue();
        named[b] = true;
      }
    }
    for (int b = 0; b < sums.length; b++) {
      if (named[b]) {
        sums[b] += segment[b];
        used[b] = true;
      }
    }
  }
}
