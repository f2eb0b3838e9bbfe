package io.duplexsim.units.exec;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.exec.ExecutionResult;
import io.duplexsim.isa.exec.Executor;
import io.duplexsim.units.OpResult;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a device's trace: each unit executes its instructions one at a time in trace order, units run
 * concurrently, and an instruction starts once all its dependencies have ended; each instruction
 * takes what its {@link OpModel} prices (the cycle-level unit models, or their memo). Instructions
 * that overlap on different units are priced as if alone, each with its data where the device's
 * mapping puts them (Duplex: one rank's bundles); what remains of their contention for the shared
 * command buses and controllers is what {@link io.duplexsim.units.device.CoRun} measures (at most 0.8%
 * for expert GEMM pairs and 3% for decode attention beside a prefill attention), not applied here.
 *
 * <p>The schedule is kept in whole picoseconds ({@link #picoseconds}: each op's time rounded to the
 * nearest, far below any op's resolution), so its sums are exact: a run of instructions can be
 * scheduled once and its result shifted to wherever it starts, bit for bit (workloads' segment replay).
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
    long[] unitFree = new long[units];
    long[] busyPs = new long[units];
    boolean[] used = new boolean[units];
    int n = trace.size();
    double[] startNs = new double[n];
    double[] endNs = new double[n];
    Int2LongOpenHashMap endById = new Int2LongOpenHashMap(n);
    List<OpResult> priced = new ArrayList<>(n);
    long makespan = 0;
    for (int k = 0; k < n; k++) {
      Instruction ins = trace.get(k);
      int u = ins.unit().ordinal();
      int queue = unitOverlap ? u : 0; // serial: the units share one queue
      long start = unitFree[queue];
      IntSeq deps = ins.deps();
      for (int i = 0; i < deps.size(); i++) {
        if (!endById.containsKey(deps.get(i))) {
          throw new IllegalArgumentException("instruction " + ins.id() + " depends on " + deps.get(i)
              + ", which does not come before it");
        }
        start = Math.max(start, endById.get(deps.get(i)));
      }
      OpResult r = model.price(ins);
      long ps = picoseconds(r.timeNs());
      long end = start + ps;
      unitFree[queue] = end;
      busyPs[u] += ps;
      used[u] = true;
      endById.put(ins.id(), end);
      startNs[k] = nanoseconds(start);
      endNs[k] = nanoseconds(end);
      priced.add(r);
      makespan = Math.max(makespan, end);
    }
    Map<Unit, Double> busy = new EnumMap<>(Unit.class);
    for (Unit unit : Unit.values()) {
      if (used[unit.ordinal()]) {
        busy.put(unit, nanoseconds(busyPs[unit.ordinal()]));
      }
    }
    return new DeviceRun(trace, priced, startNs, endNs, nanoseconds(makespan), busy);
  }

  /** An op's time as the schedule keeps it: whole picoseconds, the nearest to {@code ns}. */
  public static long picoseconds(double ns) {
    return Math.round(ns * 1000);
  }

  /** A schedule time in ns. */
  public static double nanoseconds(long ps) {
    return ps / 1000.0;
  }

  public OpModel model() {
    return model;
  }
}
