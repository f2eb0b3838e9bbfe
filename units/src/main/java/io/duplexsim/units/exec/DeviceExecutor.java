package io.duplexsim.units.exec;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.exec.ExecutionResult;
import io.duplexsim.isa.exec.Executor;
import io.duplexsim.isa.exec.InstructionTiming;
import io.duplexsim.units.OpResult;
import it.unimi.dsi.fastutil.ints.Int2DoubleOpenHashMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a device's trace: each unit executes its instructions one at a time in trace order, units run
 * concurrently, and an instruction starts once all its dependencies have ended; each instruction
 * takes what its {@link OpModel} prices (the cycle-level unit models, or their memo). Instructions
 * that overlap on different units are priced as if alone: their contention for shared pseudo-channels
 * is what {@link io.duplexsim.units.device.CoRun} measures, and is not applied here yet.
 */
public final class DeviceExecutor implements Executor {
  /** The result's cycle count is in ns (a 1 GHz reference clock). */
  public static final double REFERENCE_CLOCK_HZ = 1e9;

  private final OpModel model;

  public DeviceExecutor(OpModel model) {
    this.model = model;
  }

  @Override
  public ExecutionResult run(InstructionTrace trace) {
    return runDetailed(trace).execution();
  }

  public DeviceRun runDetailed(InstructionTrace trace) {
    // Per unit and per id in primitive arrays: this loop runs for every instruction of every iteration.
    int units = Unit.values().length;
    double[] unitFree = new double[units];
    double[] busyNs = new double[units];
    boolean[] used = new boolean[units];
    long[] bytesByUnit = new long[units];
    Map<String, Double> energy = new HashMap<>();
    Int2DoubleOpenHashMap endById = new Int2DoubleOpenHashMap();
    List<InstructionTiming> timings = new ArrayList<>(trace.size());
    List<OpResult> priced = new ArrayList<>(trace.size());
    double makespan = 0;
    for (Instruction ins : trace.instructions()) {
      int u = ins.unit().ordinal();
      double start = unitFree[u];
      IntSeq deps = ins.deps();
      for (int i = 0; i < deps.size(); i++) {
        if (!endById.containsKey(deps.get(i))) {
          throw new IllegalArgumentException("instruction " + ins.id() + " depends on " + deps.get(i)
              + ", which does not come before it");
        }
        start = Math.max(start, endById.get(deps.get(i)));
      }
      OpResult r = model.price(ins);
      double end = start + r.timeNs();
      unitFree[u] = end;
      busyNs[u] = used[u] ? busyNs[u] + r.timeNs() : r.timeNs();
      bytesByUnit[u] += r.bytes();
      used[u] = true;
      for (Map.Entry<String, Double> e : r.energyBreakdownPj().entrySet()) {
        energy.merge(e.getKey(), e.getValue(), Double::sum);
      }
      endById.put(ins.id(), end);
      timings.add(new InstructionTiming(ins.id(), ins.unit(), start, end));
      priced.add(r);
      makespan = Math.max(makespan, end);
    }
    Map<Unit, Double> busy = new EnumMap<>(Unit.class);
    Map<String, Long> bytes = new HashMap<>();
    for (Unit unit : Unit.values()) {
      if (used[unit.ordinal()]) {
        busy.put(unit, busyNs[unit.ordinal()]);
        bytes.put(unit.label(), bytesByUnit[unit.ordinal()]);
      }
    }
    long cycles = (long) Math.ceil(makespan * REFERENCE_CLOCK_HZ / 1e9 - 1e-6);
    return new DeviceRun(new ExecutionResult(cycles, makespan, busy, bytes, energy, timings), priced);
  }

  public OpModel model() {
    return model;
  }
}
