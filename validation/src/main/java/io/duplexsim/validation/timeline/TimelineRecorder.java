package io.duplexsim.validation.timeline;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.exec.InstructionTiming;
import io.duplexsim.isa.trace.OpCodes;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.exec.DeviceRun;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.OpCategory;
import io.duplexsim.workloads.system.IterationObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the per-device schedules of the first {@code limit} iterations a run prices (0: all), for a
 * timeline: every instruction's unit, start and end within its iteration, kind and category. Later
 * iterations are only counted, so that a long run does not hold millions of schedules.
 */
public final class TimelineRecorder implements IterationObserver {
  /** One instruction as it ran: times in ns from the start of its iteration. */
  public record Op(String unit, double startNs, double endNs, String name, String category, long flops, long bytes,
      String bound) {}

  private final int limit;
  private final List<List<List<Op>>> iterations = new ArrayList<>();
  private int priced;

  public TimelineRecorder(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be non-negative, got " + limit);
    }
    this.limit = limit;
  }

  @Override
  public void priced(CompiledIteration compiled, List<DeviceRun> runs) {
    priced++;
    if (limit > 0 && iterations.size() >= limit) {
      return;
    }
    List<List<Op>> devices = new ArrayList<>(runs.size());
    for (int d = 0; d < runs.size(); d++) {
      InstructionTrace trace = compiled.devices().get(d);
      OpCategory[] categories = compiled.categories().get(d);
      List<InstructionTiming> timings = runs.get(d).execution().timings();
      List<OpResult> results = runs.get(d).instructions();
      List<Op> ops = new ArrayList<>(trace.size());
      for (int i = 0; i < trace.size(); i++) {
        Instruction ins = trace.instructions().get(i);
        InstructionTiming t = timings.get(i);
        OpResult r = results.get(i);
        ops.add(new Op(t.unit().label(), t.startNs(), t.endNs(), OpCodes.name(ins),
            categories[i].name().toLowerCase(Locale.ROOT), r.flops(), r.bytes(), r.bound()));
      }
      devices.add(ops);
    }
    iterations.add(devices);
  }

  /** The recorded iterations: {@code iterations().get(i).get(d)} is device d's ops in iteration i. */
  public List<List<List<Op>>> iterations() {
    return iterations;
  }

  /** Iterations priced in all, recorded or not. */
  public int pricedIterations() {
    return priced;
  }
}
