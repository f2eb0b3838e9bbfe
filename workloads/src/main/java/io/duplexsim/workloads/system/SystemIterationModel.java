package io.duplexsim.workloads.system;

import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.Instruction;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.exec.DeviceExecutor;
import io.duplexsim.units.exec.DeviceRun;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.OpCategory;
import io.duplexsim.workloads.serving.IterationCost;
import io.duplexsim.workloads.serving.IterationModel;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Prices an iteration on a system: compiles the batch into one trace per device, runs every device's
 * trace on its units through an {@link OpModel} (cycle, memo or roofline), and takes the slowest
 * device's time (devices run in lockstep through their collectives). Energy is split by what each
 * instruction belongs to (FC, attention, MoE, communication, other) and by where it went: DRAM
 * (activations, refresh, cell-to-unit paths, TSVs, interposer) or compute (MACs, vector lanes,
 * softmax units).
 */
public final class SystemIterationModel implements IterationModel {
  private final Function<IterationBatch, CompiledIteration> compiler;
  private final DeviceExecutor executor;

  public SystemIterationModel(Function<IterationBatch, CompiledIteration> compiler, OpModel ops) {
    this.compiler = compiler;
    this.executor = new DeviceExecutor(ops);
  }

  @Override
  public String fidelity() {
    return executor.model().fidelity();
  }

  @Override
  public IterationCost run(IterationBatch batch) {
    CompiledIteration compiled = compiler.apply(batch);
    double time = 0;
    Map<String, Double> energy = new LinkedHashMap<>();
    Map<String, Double> busy = new HashMap<>();
    Map<List<Instruction>, DeviceRun> sameTrace = new HashMap<>();
    for (int d = 0; d < compiled.devices().size(); d++) {
      InstructionTrace trace = compiled.devices().get(d);
      // Devices with identical traces (tensor-parallel shards) run identically.
      DeviceRun run = sameTrace.computeIfAbsent(trace.instructions(), i -> executor.runDetailed(trace));
      time = Math.max(time, run.execution().timeNs());
      run.execution().unitBusyNs().forEach((u, ns) -> busy.merge(u.label(), ns, Double::sum));
      OpCategory[] categories = compiled.categories().get(d);
      for (int i = 0; i < trace.size(); i++) {
        addEnergy(energy, categories[i], run.instructions().get(i));
      }
    }
    return new IterationCost(time, energy, busy);
  }

  /** Files an instruction's energy under its category, split into DRAM and compute. */
  static void addEnergy(Map<String, Double> energy, OpCategory category, OpResult r) {
    String c = category.name().toLowerCase(Locale.ROOT);
    r.energyBreakdownPj().forEach((key, pj) -> {
      String bucket;
      if (category == OpCategory.COMMUNICATION || key.startsWith("link.")) {
        bucket = "communication";
      } else if (category == OpCategory.OTHER) {
        bucket = "other";
      } else {
        bucket = c + (isDram(key) ? ".dram" : ".compute");
      }
      energy.merge(bucket, pj, Double::sum);
    });
  }

  static boolean isDram(String energyKey) {
    return energyKey.startsWith("dram.") || energyKey.startsWith("tsv") || energyKey.startsWith("interposer");
  }
}
