package io.duplexsim.workloads.serving;

import java.util.Map;

/**
 * What one iteration cost on the system: its time (the slowest device), energy by category (keys
 * {@code fc.dram, fc.compute, attention.dram, attention.compute, moe.dram, moe.compute, communication,
 * other}) and busy time per unit ({@code xpu, logic-pim, bank-pim, link, ...}) summed over devices.
 */
public record IterationCost(double timeNs, Map<String, Double> energyPj, Map<String, Double> unitBusyNs) {
  public IterationCost {
    if (!(timeNs >= 0)) {
      throw new IllegalArgumentException("iteration time must be non-negative: " + timeNs);
    }
    energyPj = Map.copyOf(energyPj);
    unitBusyNs = Map.copyOf(unitBusyNs);
  }

  public double totalEnergyPj() {
    return energyPj.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
