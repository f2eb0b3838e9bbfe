package io.duplexsim.units.exec;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.exec.ExecutionResult;
import io.duplexsim.isa.exec.Executor;
import io.duplexsim.units.OpResult;
import it.unimi.dsi.fastutil.ints.Int2DoubleOpenHashMap;
import java.util.ArrayList;
import java.util.EnumMap;
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
  /** False: one instruction at a time on the whole device, as the Duplex authors' simulator sums op times. */
  private final boolean unitOverlap;

  public DeviceExecutor(OpModel model) {
    this(model, true);
  }

  /** With {@code unitOverlap} false every instruction waits for the previous one, whatever its unit. */
  public DeviceExecutor(OpModel model, boolean unitOverlap) {
    this.model = model;
    this.unitOverlap = unitOverlap;
  }

  public boolean unitOverlap() {
    return unitOverlap;
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
    int n = trace.size();
    double[] startNs = new double[n];
    double[] endNs = new double[n];
    Int2DoubleOpenHashMap endById = new Int2DoubleOpenHashMap(n);
    List<OpResult> priced = new ArrayList<>(n);
    double makespan = 0;
    for (int k = 0; k < n; k++) {
      Instruction ins = trace.get(k);
      int u = ins.unit().ordinal();
      int queue = unitOverlap ? u : 0; // serial: the units share one queue
      double start = unitFree[queue];
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
      unitFree[queue] = end;
      busyNs[u] = used[u] ? busyNs[u] + r.timeNs() : r.timeNs();
      used[u] = true;
      endById.put(ins.id(), end);
      startNs[k] = start;
      endNs[k] = end;
      priced.add(r);
      makespan = Math.max(makespan, end);
    }
    Map<Unit, Double> busy = new EnumMap<>(Unit.class);
    for (Unit unit : Unit.values()) {
      if (used[unit.ordinal()]) {
        busy.put(unit, busyNs[unit.ordinal()]);
      }
    }
    return new DeviceRun(trace, priced, startNs, endNs, makespan, busy);
  }

  public OpModel model() {
    return model;
  }
}
