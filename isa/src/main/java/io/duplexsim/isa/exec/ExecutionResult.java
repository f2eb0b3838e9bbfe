package io.duplexsim.isa.exec;

import io.duplexsim.isa.Unit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What running a trace cost: total time (in cycles of the executor's reference clock and in ns),
 * busy time per unit, bytes per data path (e.g. "xpu", "logic-pim", "link"), energy per category
 * in pJ, and each instruction's start and end in trace order (for timeline export).
 */
public record ExecutionResult(long cycles, double timeNs, Map<Unit, Double> unitBusyNs,
    Map<String, Long> bytesByPath, Map<String, Double> energyPj,
    List<InstructionTiming> timings) {
  public ExecutionResult {
    if (cycles < 0 || !(timeNs >= 0)) {
      throw new IllegalArgumentException(
          "expected non-negative cycles and time, got " + cycles + ", " + timeNs);
    }
    unitBusyNs = unitBusyNs.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(unitBusyNs));
    bytesByPath = Map.copyOf(bytesByPath);
    energyPj = Map.copyOf(energyPj);
    timings = List.copyOf(timings);
  }

  /** Busy fraction of {@code unit} over the whole run (0 when the run took no time). */
  public double utilisation(Unit unit) {
    return timeNs == 0 ? 0 : unitBusyNs.getOrDefault(unit, 0.0) / timeNs;
  }

  public double totalEnergyPj() {
    return energyPj.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
