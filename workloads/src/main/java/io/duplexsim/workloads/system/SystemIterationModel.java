package io.duplexsim.workloads.system;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.Unit;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.exec.DeviceExecutor;
import io.duplexsim.units.exec.DeviceRun;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.LayerSegment;
import io.duplexsim.workloads.compiler.SegmentPlacement;
import io.duplexsim.workloads.compiler.OpCategory;
import io.duplexsim.workloads.serving.IterationCost;
import io.duplexsim.workloads.serving.IterationModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
  private final ShapePrices prices;

  public SystemIterationModel(Function<IterationBatch, CompiledIteration> compiler, OpModel ops) {
    this(compiler, ops, IterationObserver.NONE);
  }

  /** As {@link #SystemIterationModel(Function, OpModel)}, showing each priced iteration to {@code observer}. */
  public SystemIterationModel(Function<IterationBatch, CompiledIteration> compiler, OpModel ops,
      IterationObserver observer) {
    this(compiler, ops, observer, true);
  }

  /**
   * As {@link #SystemIterationModel(Function, OpModel, IterationObserver)}; with {@code unitOverlap} false a
   * device runs one instruction at a time whatever its unit (no co-processing overlap): the serial sum of
   * op times of the Duplex authors' released simulator, for comparison.
   */
  public SystemIterationModel(Function<IterationBatch, CompiledIteration> compiler, OpModel ops,
      IterationObserver observer, boolean unitOverlap) {
    this.compiler = compiler;
    this.executor = new DeviceExecutor(ops, unitOverlap);
    this.prices = new ShapePrices(ops);
    this.observer = observer;
  }

  @Override
  public String fidelity() {
    return executor.model().fidelity();
  }

  @Override
  public IterationCost run(IterationBatch batch) {
    CompiledIteration compiled = compiler.apply(batch);
    if (observer == IterationObserver.NONE && compiled.placements(0) != null) {
      return replay(compiled);
    }
    return runTraces(compiled);
  }

  /** Prices the iteration from its whole traces, one device run each (the reference for {@link #replay}). */
  IterationCost runTraces(CompiledIteration compiled) {
    double time = 0;
    double[] energySums = new double[BUCKET_NAMES.size()];
    boolean[] energyUsed = new boolean[BUCKET_NAMES.size()];
    Map<String, Double> busy = new HashMap<>();
    List<InstructionTrace> distinct = new ArrayList<>();
    List<DeviceRun> runs = new ArrayList<>();
    List<DeviceRun> perDevice = observer == IterationObserver.NONE ? null : new ArrayList<>();
    for (int d = 0; d < compiled.deviceCount(); d++) {
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
      List<SegmentPlacement> placements = compiled.placements(d);
      if (placements != null) {
        // summed per placed segment, as replay() adds a priced segment's totals
        for (SegmentPlacement p : placements) {
          PricedSegment.subtotal(run.instructions(), p.base(), p.base() + p.segment().size(), categories,
              SystemIterationModel::bucketIndex, energySums, energyUsed);
        }
      } else {
        for (int i = 0; i < trace.size(); i++) {
          addEnergy(energySums, energyUsed, categories[i], run.instructions().get(i));
        }
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

  /**
   * Prices the iteration from its placed segments: each distinct segment is priced once (and kept for
   * later iterations), then every device's trace is scheduled as {@link DeviceExecutor} does, unit by
   * unit in issue order, with energy and busy time summed in the same order. Equal to {@link #runTraces}
   * bit for bit (tests compare them).
   */
  IterationCost replay(CompiledIteration compiled) {
    pricedThisIteration.clear();
    prefetchNewSegments(compiled);
    double time = 0;
    double[] energySums = new double[BUCKET_NAMES.size()];
    boolean[] energyUsed = new boolean[BUCKET_NAMES.size()];
    Map<String, Double> busy = new HashMap<>();
    int units = Unit.values().length;
    boolean overlap = executor.unitOverlap();
    long[] unitFree = new long[units];
    long[] busyPs = new long[units];
    boolean[] used = new boolean[units];
    for (int d = 0; d < compiled.deviceCount(); d++) {
      List<SegmentPlacement> placements = compiled.placements(d);
      SegmentPlacement tail = placements.isEmpty() ? null : placements.get(placements.size() - 1);
      int n = tail == null ? 0 : tail.base() + tail.segment().size();
      if (endPs.length < n) {
        endPs = new long[Math.max(n, 2 * endPs.length)];
        stamp = new int[endPs.length];
      }
      boolean summaries = useSummaries && inputsAreOutputs(placements);
      Arrays.fill(unitFree, 0);
      Arrays.fill(busyPs, 0);
      Arrays.fill(used, false);
      long makespan = 0;
      for (SegmentPlacement p : placements) {
        PricedSegment s = priced(p.segment());
        if (summaries) {
          makespan = Math.max(makespan, replaySummary(s, p, unitFree));
        } else {
          makespan = Math.max(makespan, replayEach(s, p, unitFree, overlap));
        }
        for (int u : s.unitsUsed) {
          busyPs[u] += s.busyPs[u];
          used[u] = true;
        }
        for (int k = 0; k < s.energyBucket.length; k++) {
          energySums[s.energyBucket[k]] += s.energyPj[k];
          energyUsed[s.energyBucket[k]] = true;
        }
      }
      time = Math.max(time, DeviceExecutor.nanoseconds(makespan));
      for (Unit u : Unit.values()) {
        if (used[u.ordinal()]) {
          busy.merge(u.label(), DeviceExecutor.nanoseconds(busyPs[u.ordinal()]), Double::sum);
        }
      }
    }
    Map<String, Double> energy = new LinkedHashMap<>();
    for (int b = 0; b < energySums.length; b++) {
      if (energyUsed[b]) {
        energy.put(BUCKET_NAMES.get(b), energySums[b]);
      }
    }
    return new IterationCost(time, energy, busy);
  }

  /**
   * Whether every segment input is the result of an earlier placement, so that replaying summaries
   * (which record only results' end times) finds each input's end (the compiler's placements always do).
   */
  private boolean inputsAreOutputs(List<SegmentPlacement> placements) {
    int mark = ++stampNow;
    for (SegmentPlacement p : placements) {
      for (int id : p.inputIds()) {
        if (stamp[id] != mark) {
          return false;
        }
      }
      if (p.outputId() >= 0) {
        stamp[p.outputId()] = mark;
      }
    }
    return true;
  }

  /** Replays placement {@code p} from its segment's summary; returns its latest end (ps). */
  private long replaySummary(PricedSegment s, SegmentPlacement p, long[] unitFree) {
    int vars = s.vars;
    if (values.length < vars) {
      values = new long[2 * vars];
    }
    int[] inputIds = p.inputIds();
    for (int j = 0; j < s.inputs; j++) {
      values[j] = endPs[inputIds[j]];
    }
    for (int q = 0; q < s.queues.length; q++) {
      values[s.inputs + q] = unitFree[s.queues[q]];
    }
    long[] f = s.forms;
    if (s.output >= s.inputs) {
      endPs[p.outputId()] = apply(f, 0, vars);
    }
    for (int q = 0; q < s.queues.length; q++) {
      unitFree[s.queues[q]] = apply(f, (2 + q) * vars, vars);
    }
    return apply(f, vars, vars);
  }

  /** The latest of the summary row at {@code row}: max over variables of value + constant. */
  private long apply(long[] forms, int row, int vars) {
    long x = PricedSegment.NEVER;
    for (int v = 0; v < vars; v++) {
      x = Math.max(x, values[v] + forms[row + v]);
    }
    return x;
  }

  /** Replays placement {@code p} instruction by instruction (every end time recorded); returns its latest end. */
  private long replayEach(PricedSegment s, SegmentPlacement p, long[] unitFree, boolean overlap) {
    int base = p.base();
    int[] inputIds = p.inputIds();
    long latest = 0;
    for (int i = 0; i < s.size; i++) {
      int queue = overlap ? s.unit[i] : 0; // serial: the units share one queue
      long start = unitFree[queue];
      for (int k = s.depStart[i]; k < s.depStart[i + 1]; k++) {
        int local = s.deps[k];
        start = Math.max(start, endPs[local < s.inputs ? inputIds[local] : base + local - s.inputs]);
      }
      long e = start + s.timePs[i];
      unitFree[queue] = e;
      endPs[base + i] = e;
      latest = Math.max(latest, e);
    }
    return latest;
  }

  /** Whether replay may use segment summaries; off only in tests that compare both ways. */
  private boolean useSummaries = true;

  /** This model replaying every placement instruction by instruction (tests show it prices the same). */
  SystemIterationModel withoutSummaries() {
    useSummaries = false;
    return this;
  }

  /** End times (ps) by trace id, reused across devices and iterations; only results' with summaries. */
  private long[] endPs = new long[1024];
  /** Which ids are results of the device being checked ({@link #inputsAreOutputs}). */
  private int[] stamp = new int[1024];
  private int stampNow;
  /** A summary's variables (inputs' ends, then queues' free times). */
  private long[] values = new long[16];

  /** Priced segments by content (a segment recurs across devices and iterations); cleared when full. */
  private final Map<LayerSegment, PricedSegment> priced = new HashMap<>();
  private static final int PRICED_SEGMENTS = 4096;
  /**
   * This iteration's segments by identity: an iteration places its few distinct segments many times,
   * and one made anew each iteration (attention's) would otherwise be compared by content each time.
   */
  private final Map<LayerSegment, PricedSegment> pricedThisIteration = new IdentityHashMap<>();

  /**
   * Files the iteration's segments priced before under this iteration (new ones under null), and hands
   * the new ones' instructions of shapes not priced yet to the op model at once, which may simulate
   * them side by side (a first run meets tens of new xPU shapes in one iteration); the prices are the
   * same either way.
   */
  private void prefetchNewSegments(CompiledIteration compiled) {
    List<Instruction> fresh = null;
    for (int d = 0; d < compiled.deviceCount(); d++) {
      for (SegmentPlacement p : compiled.placements(d)) {
        LayerSegment segment = p.segment();
        if (pricedThisIteration.containsKey(segment)) {
          continue;
        }
        PricedSegment s = priced.get(segment);
        pricedThisIteration.put(segment, s);
        for (int i = 0; s == null && i < segment.size(); i++) {
          if (!prices.knows(segment.instruction(i))) {
            if (fresh == null) {
              fresh = new ArrayList<>();
            }
            fresh.add(segment.instruction(i));
          }
        }
      }
    }
    if (fresh != null) {
      executor.model().prefetch(fresh);
    }
  }

  private PricedSegment priced(LayerSegment segment) {
    PricedSegment s = pricedThisIteration.get(segment);
    if (s == null) {
      // filed under null by prefetchNewSegments: known to be new, no second look-up by content
      s = pricedThisIteration.containsKey(segment) ? pricedAnew(segment) : pricedByContent(segment);
      pricedThisIteration.put(segment, s);
    }
    return s;
  }

  private PricedSegment pricedByContent(LayerSegment segment) {
    PricedSegment s = priced.get(segment);
    return s != null ? s : pricedAnew(segment);
  }

  private PricedSegment pricedAnew(LayerSegment segment) {
    PricedSegment s = new PricedSegment(segment, prices, SystemIterationModel::bucketIndex, executor.unitOverlap());
    if (priced.size() >= PRICED_SEGMENTS) {
      priced.clear();
    }
    priced.put(segment, s);
    return s;
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

  private static int bucketIndex(OpCategory category, String key) {
    return bucketIndex(BUCKET_INDEX.get(category), category, key);
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
