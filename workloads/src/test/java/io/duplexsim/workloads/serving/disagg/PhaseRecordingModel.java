package io.duplexsim.workloads.serving.disagg;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.serving.IterationCost;
import io.duplexsim.workloads.serving.IterationModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test-only iteration model: time = a + b x tokens + c x sum(kvLength) ns, energy 1 pJ per ns, the xpu
 * busy the whole iteration. It records every batch it priced.
 */
final class PhaseRecordingModel implements IterationModel {
  final List<IterationBatch> batches = new ArrayList<>();
  private final double a;
  private final double b;
  private final double c;

  PhaseRecordingModel(double a, double b, double c) {
    this.a = a;
    this.b = b;
    this.c = c;
  }

  static PhaseRecordingModel standard() {
    return new PhaseRecordingModel(10_000, 50, 1);
  }

  @Override
  public IterationCost run(IterationBatch batch) {
    long kv = 0;
    for (BatchEntry e : batch.entries()) {
      kv += e.kvLength();
    }
    double t = a + b * batch.tokens() + c * kv;
    batches.add(batch);
    return new IterationCost(t, Map.of("fc.dram", 0.75 * t, "fc.compute", 0.25 * t), Map.of("xpu", t));
  }

  @Override
  public String fidelity() {
    return "test-linear";
  }
}
