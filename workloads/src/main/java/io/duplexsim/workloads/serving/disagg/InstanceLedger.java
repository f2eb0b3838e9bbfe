package io.duplexsim.workloads.serving.disagg;

import io.duplexsim.workloads.serving.IterationCost;
import java.util.Map;
import java.util.TreeMap;

/** What one instance's iterations added up to: count, busy time, energy and busy time per unit. */
final class InstanceLedger {
  long iterations;
  double busyNs;
  final Map<String, Double> energyPj = new TreeMap<>();
  final Map<String, Double> unitBusyNs = new TreeMap<>();

  void add(IterationCost cost, double timeNs) {
    iterations++;
    busyNs += timeNs;
    cost.energyPj().forEach((k, v) -> energyPj.merge(k, v, Double::sum));
    cost.unitBusyNs().forEach((k, v) -> unitBusyNs.merge(k, v, Double::sum));
  }

  /** Per unit: busy time / (sim time x the instance's devices). */
  Map<String, Double> utilisation(double simTimeNs, int devices) {
    Map<String, Double> u = new TreeMap<>();
    unitBusyNs.forEach((k, v) -> u.put(k, simTimeNs > 0 ? v / (simTimeNs * devices) : 0));
    return u;
  }
}
