package io.duplexsim.workloads.serving;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test-only iteration model: time = a + b x tokens + c x sum(kvLength) ns, energy 1 pJ per ns split
 * between two categories, the xpu busy the whole iteration. It records every batch and cost it saw.
 */
final class LinearIterationModel implements IterationModel {
  final double a;
  final double b;
  final double c;
  final List<IterationBatch> batches = new ArrayList<>();
  final List<IterationCost> costs = new ArrayList<>();

  LinearIterationModel(double a, double b, double c) {
    this.a = a;
    this.b = b;
    this.c = c;
  }

  static LinearIterationModel standard() {
    return new LinearIterationModel(10_000, 50, 1);
  }

  double timeNs(IterationBatch batch) {
    long kv = 0;
    for (BatchEntry e : batch.entries()) {
      kv += e.kvLength();
    }
    return a + b * batch.tokens() + c * kv;
  }

  @Override
  public IterationCost run(IterationBatch batch) {
    double t = timeNs(batch);
    IterationCost cost = new IterationCost(t, Map.of("fc.dram", 0.75 * t, "fc.compute", 0.25 * t), Map.of("xpu", t));
    batches.add(batch);
    costs.add(cost);
    return cost;
  }

  @Override
  public String fidelity() {
    return "test-linear";
  }
}
