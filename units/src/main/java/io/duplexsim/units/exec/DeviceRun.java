package io.duplexsim.units.exec;

import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.exec.ExecutionResult;
import io.duplexsim.isa.exec.InstructionTiming;
import io.duplexsim.units.OpResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace's execution and the priced result of each of its instructions (in trace order). The time and
 * the busy time per unit come straight from the schedule; the full {@link ExecutionResult} (energy and
 * bytes by key, each instruction's start and end) is assembled on first request, from the same
 * results in the same order, since the serving loop needs only the former.
 */
public final class DeviceRun {
  private final InstructionTrace trace;
  private final List<OpResult> instructions;
  private final double[] startNs;
  private final double[] endNs;
  private final double timeNs;
  private final Map<Unit, Double> unitBusyNs;
  private ExecutionResult execution;

  DeviceRun(InstructionTrace trace, List<OpResult> instructions, double[] startNs, double[] endNs, double timeNs,
      Map<Unit, Double> unitBusyNs) {
    this.trace = trace;
    this.instructions = Collections.unmodifiableList(instructions);
    this.startNs = startNs;
    this.endNs = endNs;
    this.timeNs = timeNs;
    this.unitBusyNs = Collections.unmodifiableMap(unitBusyNs);
  }

  /** The makespan in ns. */
  public double timeNs() {
    return timeNs;
  }

  public Map<Unit, Double> unitBusyNs() {
    return unitBusyNs;
  }

  public List<OpResult> instructions() {
    return instructions;
  }

  public synchronized ExecutionResult execution() {
    if (execution == null) {
      Map<String, Long> bytes = new HashMap<>();
      Map<String, Double> energy = new HashMap<>();
      List<InstructionTiming> timings = new ArrayList<>(trace.size());
      for (int i = 0; i < trace.size(); i++) {
        var ins = trace.get(i);
        OpResult r = instructions.get(i);
        bytes.merge(ins.unit().label(), r.bytes(), Long::sum);
        for (Map.Entry<String, Double> e : r.energyBreakdownPj().entrySet()) {
          energy.merge(e.getKey(), e.getValue(), Double::sum);
        }
        timings.add(new InstructionTiming(ins.id(), ins.unit(), startNs[i], endNs[i]));
      }
      long cycles = (long) Math.ceil(timeNs * DeviceExecutor.REFERENCE_CLOCK_HZ / 1e9 - 1e-6);
      execution = new ExecutionResult(cycles, timeNs, new EnumMap<>(unitBusyNs), bytes, energy, timings);
    }
    return execution;
  }
}
