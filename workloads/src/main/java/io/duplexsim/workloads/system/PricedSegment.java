package io.duplexsim.workloads.system;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.workloads.compiler.LayerSegment;
import io.duplexsim.workloads.compiler.OpCategory;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.ToIntBiFunction;

/**
 * A {@link LayerSegment} with every instruction priced once, in primitive arrays: its unit, duration,
 * local deps and energy by bucket, in issue order. Replaying it wherever the segment is placed gives
 * the schedule and sums the device executor would compute from the whole trace, because an
 * instruction's price depends only on its shape, never on its id, deps or neighbours.
 */
final class PricedSegment {
  final int inputs;
  final int size;
  final int[] unit;
  final double[] timeNs;
  /** Deps of instruction i are {@code deps[depStart[i] .. depStart[i+1])}, as local ids. */
  final int[] depStart;
  final int[] deps;
  /** Energy of instruction i: buckets and pJ in {@code [energyStart[i] .. energyStart[i+1])}, in key order. */
  final int[] energyStart;
  final int[] energyBucket;
  final double[] energyPj;
  /**
   * Every bucket some instruction names, zero or not: zero entries are left out of the lists above
   * (adding 0 changes no sum), but a bucket named only with zeros still appears in the iteration's energy.
   */
  final int[] bucketsNamed;

  /** {@code bucket} maps an instruction's (category, energy key) to its energy bucket. */
  PricedSegment(LayerSegment s, ShapePrices prices, ToIntBiFunction<OpCategory, String> bucket) {
    inputs = s.inputs();
    size = s.size();
    unit = new int[size];
    timeNs = new double[size];
    depStart = new int[size + 1];
    energyStart = new int[size + 1];
    ShapePrices.Price[] priced = new ShapePrices.Price[size];
    int depCount = 0;
    int energyCount = 0;
    for (int i = 0; i < size; i++) {
      Instruction ins = s.instruction(i);
      priced[i] = prices.price(ins);
      depCount += ins.deps().size();
      energyCount += priced[i].keys.length;
    }
    deps = new int[depCount];
    int[] bucketOf = new int[energyCount];
    double[] pjOf = new double[energyCount];
    BitSet named = new BitSet();
    int dp = 0;
    int ep = 0;
    for (int i = 0; i < size; i++) {
      Instruction ins = s.instruction(i);
      unit[i] = ins.unit().ordinal();
      timeNs[i] = priced[i].timeNs;
      depStart[i] = dp;
      IntSeq d = ins.deps();
      for (int k = 0; k < d.size(); k++) {
        deps[dp++] = d.get(k);
      }
      energyStart[i] = ep;
      int[] buckets = priced[i].buckets(s.category(i), bucket);
      for (int k = 0; k < buckets.length; k++) {
        named.set(buckets[k]);
        if (priced[i].pj[k] != 0) {
          bucketOf[ep] = buckets[k];
          pjOf[ep++] = priced[i].pj[k];
        }
      }
    }
    depStart[size] = dp;
    energyStart[size] = ep;
    energyBucket = Arrays.copyOf(bucketOf, ep);
    energyPj = Arrays.copyOf(pjOf, ep);
    bucketsNamed = named.stream().toArray();
  }
}
