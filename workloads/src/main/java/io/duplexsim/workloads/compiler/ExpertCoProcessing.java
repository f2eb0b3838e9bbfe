package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.Unit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Duplex's expert co-processing (duplex-paper.md): start with every expert on the xPU, then move the
 * experts with the fewest tokens to Logic-PIM one at a time while the makespan (the slower of the two
 * units, which run concurrently) improves; stop at the first move that does not improve it.
 */
public final class ExpertCoProcessing {
  private ExpertCoProcessing() {}

  /**
   * The unit of each expert. {@code tokens[e]} is expert e's token count; experts with none stay on
   * {@code xpu} and are not timed.
   */
  public static Unit[] split(int[] tokens, ExpertShape shape, UnitCostOracle oracle, Unit xpu, Unit pim) {
    Unit[] out = new Unit[tokens.length];
    Arrays.fill(out, xpu);
    double xpuNs = 0;
    double pimNs = 0;
    double[] onXpu = new double[tokens.length];
    for (int e = 0; e < tokens.length; e++) {
      if (tokens[e] > 0) {
        onXpu[e] = oracle.expertNs(xpu, shape, tokens[e]);
        xpuNs += onXpu[e];
      }
    }
    // fewest tokens first; ties by expert id so the result is deterministic
    int[] order = IntStream.range(0, tokens.length).filter(e -> tokens[e] > 0).boxed()
        .sorted(Comparator.<Integer>comparingInt(e -> tokens[e]).thenComparingInt(e -> e))
        .mapToInt(Integer::intValue).toArray();
    double makespan = xpuNs;
    for (int e : order) {
      // Logic-PIM's time is asked only of the experts the greedy considers moving: those with many
      // tokens (a prefill's) are never moved, and their PIM prices would be simulations for nothing.
      double x = xpuNs - onXpu[e];
      double p = pimNs + oracle.expertNs(pim, shape, tokens[e]);
      double m = Math.max(x, p);
      if (!(m < makespan)) {
        break;
      }
      out[e] = pim;
      xpuNs = x;
      pimNs = p;
      makespan = m;
    }
    return out;
  }
}
