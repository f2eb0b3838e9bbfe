package io.duplexsim.workloads.system;

import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.workloads.compiler.ExpertShape;
import io.duplexsim.workloads.compiler.UnitCostOracle;
import java.util.HashMap;
import java.util.Map;

/**
 * Duplex's expert lookup table built from the unit models themselves: an expert FFN's time on a unit
 * is the sum of its GEMMs' times (gate and up: tokens x d_model x columns; down: tokens x columns x
 * d_model), each priced by the {@link OpModel} at the run's fidelity (the memo keeps each entry after
 * its first simulation).
 */
public final class ModelCostOracle implements UnitCostOracle {
  private final OpModel ops;
  /** Entries already priced: the greedy asks for the same (unit, shape, tokens) every MoE layer. */
  private final Map<Entry, Double> table = new HashMap<>();

  private record Entry(Unit unit, ExpertShape shape, int tokens) {}

  public ModelCostOracle(OpModel ops) {
    this.ops = ops;
  }

  @Override
  public double expertNs(Unit unit, ExpertShape shape, int tokens) {
    Entry key = new Entry(unit, shape, tokens);
    Double known = table.get(key);
    if (known == null) {
      known = price(unit, shape, tokens);
      table.put(key, known);
    }
    return known;
  }

  private double price(Unit unit, ExpertShape shape, int tokens) {
    double ns = 0;
    for (int i = 0; i < shape.matrices() - 1; i++) {
      ns += ops.price(gemm(unit, tokens, shape.dModel(), shape.columns(), shape)).timeNs();
    }
    return ns + ops.price(gemm(unit, tokens, shape.columns(), shape.dModel(), shape)).timeNs();
  }

  private static Gemm gemm(Unit unit, int m, int k, int n, ExpertShape shape) {
    return new Gemm(0, unit, IntSeq.empty(), m, k, n, shape.weights().weights(), shape.weights().activations(), null,
        null, null);
  }
}
