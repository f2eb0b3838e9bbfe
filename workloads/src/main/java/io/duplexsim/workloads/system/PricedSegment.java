package io.duplexsim.workloads.system;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.workloads.compiler.LayerSegment;
import io.duplexsim.workloads.compiler.OpCategory;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import io.duplexsim.units.OpResult;
import java.util.function.ToIntBiFunction;

/**
 * A {@link LayerSegment} with every instruction priced once, in primitive arrays: its unit, duration and
 * local deps in issue order, and the segment's energy by bucket. Replaying it wherever the segment is
 * placed gives the schedule and sums the device executor would compute from the whole trace, because
 * an instruction's price depends only on its shape, never on its id, deps or neighbours.
 */
final class PricedSegment {
  final int inputs;
  final int size;
  final int[] unit;
  final double[] timeNs;
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

  /** {@code bucket} maps an instruction's (category, energy key) to its energy bucket. */
  PricedSegment(LayerSegment s, ShapePrices prices, ToIntBiFunction<OpCategory, String> bucket) {
    inputs = s.inputs();
    size = s.size();
    unit = new int[size];
    timeNs = new double[size];
    depStart = new int[size + 1];
    ShapePrices.Price[] priced = new ShapePrices.Price[size];
    int depCount = 0;
    for (int i = 0; i < size; i++) {
      Instruction ins = s.instruction(i);
      priced[i] = prices.price(ins);
      depCount += ins.deps().size();
    }
    deps = new int[depCount];
    double[] sums = new double[0];
    BitSet named = new BitSet();
    int dp = 0;
    for (int i = 0; i < size; i++) {
      Instruction ins = s.instruction(i);
      unit[i] = ins.unit().ordinal();
      timeNs[i] = priced[i].timeNs;
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
    energyBucket = named.stream().toArray();
    energyPj = new double[energyBucket.length];
    for (int j = 0; j < energyBucket.length; j++) {
      energyPj[j] = sums[energyBucket[j]];
    }
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
