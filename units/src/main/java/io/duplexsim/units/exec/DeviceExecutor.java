package io.duplexsim.units.exec;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.exec.ExecutionResult;
import io.duplexsim.isa.exec.Executor;
import io.duplexsim.units.OpResult;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a device's trace: each unit executes its instructions one at a time in trace order, units run
 * concurrently, and an instruction starts once all its dependencies have ended; each instruction
 * takes what its {@link OpModel} prices (the cycle-level unit models, or their memo). Instructions
 * that overlap on different units are priced as if alone, each with its data where the device's
 * mapping puts them (Duplex: one rank's bundles), with one exception: Duplex+PE's attention
 * co-processing, an attention on the xPU and a decode attention on a near-memory unit that wait for the
 * same instructions ({@link CoProcessingPairs}), is priced as the two run at once when the model can
 * ({@link OpModel#priceTogether}: the cycle fidelity runs them together on one device). The contention
 * left out elsewhere is what {@link io.duplexsim.units.device.CoRun} measures for expert GEMM pairs (at
 * most 0.8%).
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
    int n = trace.size();
    List<OpResult> priced = new ArrayList<>(n);
    long[] ps = new long[n];
    IntOpenHashSet seen = new IntOpenHashSet(n);
    for (int k = 0; k < n; k++) {
      Instruction ins = trace.get(k);
      IntSeq deps = ins.deps();
      for (int i = 0; i < deps.size(); i++) {
        if (!seen.contains(deps.get(i))) {
          throw new IllegalArgumentException("instruction " + ins.id() + " depends on " + deps.get(i)
              + ", which does not come before it");
        }
      }
      seen.add(ins.id());
      OpResult r = model.price(ins);
      priced.add(r);
      ps[k] = picoseconds(r.timeNs());
    }
    if (unitOverlap) {
      int[] pairs = CoProcessingPairs.of(n, trace::get);
      for (int i = 0; i < pairs.length; i += 2) {
        int x = pairs[i];
        int p = pairs[i + 1];
        OpResult[] together = model.priceTogether((Attention) trace.get(x), (Attention) trace.get(p),
            priced.get(x), priced.get(p));
        if (together != null) {
          priced.set(x, together[0]);
          priced.set(p, together[1]);
          ps[x] = picoseconds(together[0].timeNs());
          ps[p] = picoseconds(together[1].timeNs());
        }
      }
    }
    long[] startPs = new long[n];
    long[] endPs = new long[n];
    long makespan = schedule(trace, ps, startPs, endPs);
    // Busy time per unit, in the schedule's whole picoseconds.
    int units = Unit.values().length;
    long[] busyPs = new long[units];
    boolean[] used = new boolean[units];
    double[] startNs = new double[n];
    double[] endNs = new double[n];
    for (int k = 0; k < n; k++) {
      int u = trace.get(k).unit().ordinal();
      busyPs[u] += ps[k];
      used[u] = true;
      startNs[k] = nanoseconds(startPs[k]);
      endNs[k] = nanoseconds(endPs[k]);
    }
    Map<Unit, Double> busy = new EnumMap<>(Unit.class);
    for (Unit unit : Unit.values()) {
      if (used[unit.ordinal()]) {
        busy.put(unit, nanoseconds(busyPs[unit.ordinal()]));
      }
    }
    return new DeviceRun(trace, priced, startNs, endNs, nanoseconds(makespan), busy);
  }

  /**
   * Each unit runs its instructions one at a time in trace order, each from the later of its unit's
   * free time and its dependencies' ends, taking {@code ps}; fills the start and end times (ps) and
   * returns the makespan.
   */
  private long schedule(InstructionTrace trace, long[] ps, long[] startPs, long[] endPs) {
    long[] unitFree = new long[Unit.values().length];
    int n = trace.size();
    Int2LongOpenHashMap endById = new Int2LongOpenHashMap(n);
    long makespan = 0;
    for (int k = 0; k < n; k++) {
      Instruction ins = trace.get(k);
      int queue = unitOverlap ? ins.unit().ordinal() : 0; // serial: the units share one queue
      long start = unitFree[queue];
      IntSeq deps = ins.deps();
      for (int i = 0; i < deps.size(); i++) {
        start = Math.max(start, endById.get(deps.get(i)));
      }
      long end = start + ps[k];
      unitFree[queue] = end;
      endById.put(ins.id(), end);
      startPs[k] = start;
      endPs[k] = end;
      makespan = Math.max(makespan, end);
    }
    return makespan;
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
