package io.duplexsim.workloads.system;

import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.exec.DeviceExecutor;
import io.duplexsim.units.exec.DeviceRun;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.OpCategory;
import io.duplexsim.workloads.serving.IterationCost;
import io.duplexsim.workloads.serving.IterationModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
  private final IterationObserver observer;

  public SystemIterationModel(Function<IterationBatch, CompiledIteration> compiler, OpModel ops) {
    this(compiler, ops, IterationObserver.NONE);
  }

  /** As {@link #SystemIterationModel(Function, OpModel)}, showing each priced iteration to {@code observer}. */
  public SystemIterationModel(Function<IterationBatch, CompiledIteration> compiler, OpModel ops,
      IterationObserver observer) {
    this.compiler = compiler;
    this.executor = new DeviceExecutor(ops);
    this.observer = observer;
  }

  @Override
  public String fidelity() {
    return executor.model().fidelity();
  }

  @Override
  public IterationCost run(IterationBatch batch) {
    CompiledIteration compiled = compiler.apply(batch);
    double time = 0;
    double[] energySums = new double[BUCKET_NAMES.size()];
    boolean[] energyUsed = new boolean[BUCKET_NAMES.size()];
    Map<String, Double> busy = new HashMap<>();
    List<InstructionTrace> distinct = new ArrayList<>();
    List<DeviceRun> runs = new ArrayList<>();
    List<DeviceRun> perDevice = observer == IterationObserver.NONE ? null : new ArrayList<>();
    for (int d = 0; d < compiled.devices().size(); d++) {
      InstructionTrace trace = compiled.devices().get(d);
      // Devices with identical traces (tensor-parallel shards) run identically. Compared one by one rather
      // than hashed: traces that differ (expert parallelism) differ early, and hashing reads all of each.
      DeviceRun run = null;
      for (int k = 0; k < distinct.size() && run == null; k++) {
        if (distinct.get(k).instructions().equals(trace.instructions())) {
          run = runs.get(k);
        }
      }
      if (run == null) {
        run = executor.runDetailed(trace);
        distinct.add(trace);
        runs.add(run);
      }
      time = Math.max(time, run.timeNs());
      if (perDevice != null) {
        perDevice.add(run);
      }
      run.unitBusyNs().forEach((u, ns) -> busy.merge(u.label(), ns, Double::sum));
      OpCategory[] categories = compiled.categories().get(d);
      for (int i = 0; i < trace.size(); i++) {
        addEnergy(energySums, energyUsed, categories[i], run.instructions().get(i));
      }
    }
    Map<String, Double> energy = new LinkedHashMap<>();
    for (int b = 0; b < energySums.length; b++) {
      if (energyUsed[b]) {
        energy.put(BUCKET_NAMES.get(b), energySums[b]);
      }
    }
    if (perDevice != null) {
      observer.priced(compiled, perDevice);
    }
    return new IterationCost(time, energy, busy);
  }

  /** Files an instruction's energy under its category, split into DRAM and compute, into per-bucket sums. */
  private static void addEnergy(double[] sums, boolean[] used, OpCategory category, OpResult r) {
    Map<String, Integer> buckets = BUCKET_INDEX.get(category);
    for (Map.Entry<String, Double> e : r.energyBreakdownPj().entrySet()) {
      int b = bucketIndex(buckets, category, e.getKey());
      sums[b] += e.getValue();
      used[b] = true;
    }
  }

  // Every instruction's energy goes through here: the bucket of each key is looked up, not rebuilt from strings.
  private static final List<String> BUCKET_NAMES = new ArrayList<>();
  private static final Map<OpCategory, Map<String, Integer>> BUCKET_INDEX = new EnumMap<>(OpCategory.class);

  static {
    BUCKET_NAMES.add("communication");
    BUCKET_NAMES.add("other");
    for (OpCategory c : OpCategory.values()) {
      if (c != OpCategory.COMMUNICATION && c != OpCategory.OTHER) {
        BUCKET_NAMES.add(c.name().toLowerCase(Locale.ROOT) + ".dram");
        BUCKET_NAMES.add(c.name().toLowerCase(Locale.ROOT) + ".compute");
      }
      BUCKET_INDEX.put(c, new ConcurrentHashMap<>());
    }
  }

  private static int bucketIndex(Map<String, Integer> buckets, OpCategory category, String key) {
    Integer b = buckets.get(key);
    if (b == null) {
      b = BUCKET_NAMES.indexOf(bucket(category, key));
      buckets.put(key, b);
    }
    return b;
  }

  private static String bucket(OpCategory category, String key) {
    if (category == OpCategory.COMMUNICATION || key.startsWith("link.")) {
      return "communication";
    } else if (category == OpCategory.OTHER) {
      return "other";
    }
    return category.name().toLowerCase(Locale.ROOT) + (isDram(key) ? ".dram" : ".compute");
  }

  static boolean isDram(String energyKey) {
    return energyKey.startsWith("dram.") || energyKey.startsWith("tsv") || energyKey.startsWith("interposer");
  }
}
