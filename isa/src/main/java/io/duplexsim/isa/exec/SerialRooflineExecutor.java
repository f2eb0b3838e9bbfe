package io.duplexsim.isa.exec;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Analytic fidelity mode, not a cycle model: each instruction takes its roofline time
 * max(flops / peak, bytes / bandwidth) on its unit; each unit runs one instruction at a time in
 * trace order, different units run concurrently, and an instruction starts no earlier than the end
 * of all its deps. No memory contention between units, no energy. Useful as a sanity bound for the
 * cycle-level executors.
 */
public final class SerialRooflineExecutor implements Executor {
  private final Map<Unit, UnitRoofline> rooflines;
  private final double clockHz;

  /**
   * @param rooflines the ceilings of every unit the traces use
   * @param clockHz the reference clock the result's cycle count is expressed in
   */
  public SerialRooflineExecutor(Map<Unit, UnitRoofline> rooflines, double clockHz) {
    if (!(clockHz > 0)) {
      throw new IllegalArgumentException("expected a positive clock, got " + clockHz);
    }
    this.rooflines = Map.copyOf(new EnumMap<>(rooflines));
    this.clockHz = clockHz;
  }

  @Override
  public ExecutionResult run(InstructionTrace trace) {
    Map<Unit, Double> unitFree = new EnumMap<>(Unit.class);
    Map<Unit, Double> busy = new EnumMap<>(Unit.class);
    Map<String, Long> bytes = new HashMap<>();
    Map<Integer, Double> endById = new HashMap<>();
    List<InstructionTiming> timings = new ArrayList<>(trace.size());
    double makespan = 0;
    for (Instruction ins : trace.instructions()) {
      UnitRoofline r = rooflines.get(ins.unit());
      if (r == null) {
        throw new IllegalArgumentException("no roofline for unit " + ins.unit().label()
            + " (instruction " + ins.id() + ")");
      }
      double start = unitFree.getOrDefault(ins.unit(), 0.0);
      IntSeq deps = ins.deps();
      for (int i = 0; i < deps.size(); i++) {
        start = Math.max(start, endById.get(deps.get(i)));
      }
      double duration = r.durationNs(ins.flops(), ins.bytes());
      double end = start + duration;
      unitFree.put(ins.unit(), end);
      busy.merge(ins.unit(), duration, Double::sum);
      bytes.merge(ins.unit().label(), ins.bytes(), Long::sum);
      endById.put(ins.id(), end);
      timings.add(new InstructionTiming(ins.id(), ins.unit(), start, end));
      makespan = Math.max(makespan, end);
    }
    // the small tolerance keeps float noise (2000.0000000001) from adding a cycle
    long cycles = (long) Math.ceil(makespan * clockHz / 1e9 - 1e-6);
    return new ExecutionResult(cycles, makespan, busy, bytes, Map.of(), timings);
  }
}
