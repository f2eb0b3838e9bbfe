package io.duplexsim.validation.run;

import io.duplexsim.isa.Unit;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.exec.CycleOpModel;
import io.duplexsim.units.exec.MemoOpModel;
import io.duplexsim.units.exec.MemoStore;
import io.duplexsim.units.exec.MemoStores;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.units.exec.RooflineOpModel;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.validation.sweep.HardwareOverrides;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.ExpertRouter;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.compiler.ParallelPlan;
import io.duplexsim.workloads.compiler.Strategy;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import io.duplexsim.workloads.serving.CapacityMetrics;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.LoopTracker;
import io.duplexsim.workloads.serving.ServingPolicies;
import io.duplexsim.workloads.serving.cachecraft.CacheCraft;
import io.duplexsim.workloads.serving.kvshare.KvShareConfig;
import io.duplexsim.workloads.serving.ServingOptions;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.workloads.serving.ServingProgress;
import io.duplexsim.workloads.serving.ServingSimulation;
import io.duplexsim.workloads.serving.recursive.RecursiveBatching;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.MultiTenantRequests;
import io.duplexsim.workloads.serving.requests.MultiTenantWorkload;
import io.duplexsim.workloads.serving.requests.RequestSource;
import io.duplexsim.workloads.serving.requests.SharedPrefix;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import io.duplexsim.workloads.serving.requests.TraceRequests;
import io.duplexsim.workloads.serving.speculative.DraftModel;
import io.duplexsim.workloads.serving.speculative.SpeculativeConfig;
import io.duplexsim.workloads.serving.speculative.SpeculativeDecoding;
import io.duplexsim.workloads.system.IterationObserver;
import io.duplexsim.workloads.system.ModelCostOracle;
import io.duplexsim.workloads.system.SystemIterationModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Assembles a scenario into a run: the system (device preset x devices per node x nodes, and the
 * strategy that decides where each layer runs), the model, the op pricing at the chosen fidelity, the
 * compiler, the KV capacity and the requests; then serves them.
 */
public final class ScenarioRunner {
  /** The systems of the Duplex paper by name. */
  public static final List<String> SYSTEMS = List.of("gpu", "2gpu", "duplex", "duplex-pe", "duplex-pe-et", "bank-pim");
  public static final List<String> FIDELITIES = List.of("cycle", "memo", "roofline");

  private ScenarioRunner() {}

  /** The built system: its devices and links, and the strategy. */
  public record Built(SystemPreset system, Strategy strategy) {}

  public static Built system(Scenario s) {
    String device;
    String strategy;
    int perNode = s.devicesPerNode();
    int nodes = s.nodes();
    switch (s.system()) {
      case "gpu" -> {
        device = "gpu";
        strategy = "gpu";
      }
      case "2gpu" -> {
        // Twice the devices: fill nodes up to 8 first, then add nodes (the paper's 2xGPU).
        device = "gpu";
        strategy = "gpu";
        int total = 2 * perNode * nodes;
        perNode = Math.min(8, total);
        nodes = (total + perNode - 1) / perNode;
      }
      case "duplex", "duplex-pe", "duplex-pe-et" -> {
        device = "duplex";
        strategy = s.system();
      }
      case "bank-pim" -> {
        device = "bank-pim";
        strategy = "bank-pim";
      }
      default -> throw new InputException("system: unknown '" + s.system() + "'; expected one of " + SYSTEMS);
    }
    return new Built(HardwareOverrides.apply(Systems.of(device, perNode, nodes), device, s.text(HardwareOverrides.KEY)),
        Strategy.parse(strategy));
  }

  /** Runs the scenario with its own weight-format key. */
  public static ServingResult run(Scenario s) {
    return run(s, WeightFormats.parse("weight-format", s.weightFormat()));
  }

  public static ServingResult run(Scenario s, WeightFormat weights) {
    return run(s, weights, ops -> { });
  }

  /** As {@link #run(Scenario, WeightFormat)}, handing the op pricing to {@code inspect} after the run. */
  public static ServingResult run(Scenario s, WeightFormat weights, Consumer<OpModel> inspect) {
    return run(s, weights, inspect, IterationObserver.NONE);
  }

  /** As {@link #run(Scenario, WeightFormat, Consumer)}, showing every priced iteration to {@code observer}. */
  public static ServingResult run(Scenario s, WeightFormat weights, Consumer<OpModel> inspect,
      IterationObserver observer) {
    return run(s, weights, inspect, observer, ops -> ServingProgress.NONE);
  }

  /**
   * As above, telling the progress {@code watch} makes of the run's op pricing how far the serving engine
   * has got (not for a disaggregated run, whose two engines keep two clocks).
   */
  public static ServingResult run(Scenario s, WeightFormat weights, Consumer<OpModel> inspect,
      IterationObserver observer, Function<OpModel, ServingProgress> watch) {
    Built built = system(s);
    SystemPreset system = built.system();
    ModelSpec model = Models.load(s.model());
    model.requireCompilable();
    if (!FIDELITIES.contains(s.fidelity())) {
      throw new InputException("fidelity: unknown '" + s.fidelity() + "'; expected one of " + FIDELITIES);
    }
    OpModel ops = opModel(s, system);
    String routerSpec = s.router().equals("uniform") ? "uniform:" + s.seed() : s.router();
    LayerCompiler compiler = new LayerCompiler(ExpertRouter.parse(routerSpec), new ModelCostOracle(ops));
    Function<IterationBatch, CompiledIteration> compile =
        batch -> compiler.compile(model, system, built.strategy(), weights, batch);
    RecursiveScenario recursive = RecursiveScenario.of(s, model);
    LoopTracker loops = LoopTracker.NONE;
    if (recursive != null) {
      RecursiveBatching batching = recursive.batching(compiler, system, built.strategy(), weights, s.seed());
      compile = batching;
      loops = batching;
    }
    ServingOptions options = ServingOptions.DEFAULTS.withMaxNumSeqs(s.maxNumSeqs())
        .withMaxNumBatchedTokens(s.maxNumBatchedTokens()).withBlockSize(s.blockSize())
        .withGpuMemoryUtilization(s.gpuMemoryUtilization()).withEnablePrefixCaching(s.enablePrefixCaching());
    ParallelPlan plan = ParallelPlan.of(model, system, built.strategy());
    double weightBytes = recursive != null ? recursive.weightBytesPerDevice(system, built.strategy(), weights)
        : plan.weightBytesPerDevice(model, weights);
    SpeculativeConfig speculative = SpeculativeConfig.parse(s.text(SpeculativeConfig.MODEL_KEY),
        s.text(SpeculativeConfig.TOKENS_KEY), s.text(SpeculativeConfig.RATE_KEY), s.text(SpeculativeConfig.CONTROLLER_KEY));
    if (speculative.enabled() && recursive != null) {
      throw new InputException("speculative-model: not supported with a recursive model (recursive-loops > 1)");
    }
    DraftModel draft = speculative.draftModel() == null ? null
        : DraftModel.load(speculative.draftModel(), model, system, built.strategy(), weights, compiler, ops);
    KvCapacity capacity = draft != null ? draft.capacity(model, plan, KvCapacity.deviceMemoryBytes(system.device()),
        s.activationReserveGb() * 1e9, options) : KvCapacity.forDevices(model, LayerCompiler.KV_FORMAT,
        KvCapacity.deviceMemoryBytes(system.device()), weightBytes,
        plan.kvHeadsPerDevice(), plan.tp(), plan.nodes(), s.activationReserveGb() * 1e9, options);
    RequestSource requests = CacheCraftScenario.ragRequests(s);
    MultiTenantWorkload tenants = KvShareScenario.workload(s);
    if (requests != null && tenants != null) {
      throw new InputException("rag-corpus-chunks and tenants are alternative workloads: set one of them to 0");
    }
    if (s.trace() != null) {
      requests = TraceRequests.read(s.trace());
    } else if (requests == null) {
      String arrival = s.arrival().trim().toLowerCase(Locale.ROOT).equals("closed")
          ? "closed:" + s.maxNumSeqs() : s.arrival();
      requests = tenants != null
          ? new MultiTenantRequests(s.requests(), LengthDistribution.parse(s.inputLen(), "input-len"),
              LengthDistribution.parse(s.outputLen(), "output-len"), ArrivalProcess.parse(arrival, "arrival"), tenants,
              s.seed())
          : new SyntheticRequests(s.requests(), LengthDistribution.parse(s.inputLen(), "input-len"),
              LengthDistribution.parse(s.outputLen(), "output-len"), ArrivalProcess.parse(arrival, "arrival"),
              SharedPrefix.parse(s.sharedPrefix()), s.seed());
    }
    KvShareConfig kvShare = KvShareScenario.config(s);
    CacheCraft cacheCraft = CacheCraftScenario.policy(s, model);
    if (kvShare != null && cacheCraft != null) {
      throw new InputException("kvshare and cache-craft are alternatives: turn one off");
    }
    if (Disaggregation.enabled(s)) {
      if (kvShare != null || cacheCraft != null || speculative.enabled()) {
        throw new InputException((kvShare != null ? "kvshare" : cacheCraft != null ? "cache-craft" : "speculative-model")
            + ": not supported with disaggregation yet");
      }
      if (observer != IterationObserver.NONE) {
        throw new InputException("--trace-timeline: not supported with disaggregation yet (two engines, two clocks)");
      }
      return Disaggregation.run(s, weights, model, built, options, requests, inspect);
    }
    SystemIterationModel target = new SystemIterationModel(compile, ops, observer, s.bool(UNIT_OVERLAP_KEY));
    SpeculativeDecoding speculation = !speculative.enabled() ? null : new SpeculativeDecoding(speculative, target,
        draft == null ? null : draft.iterationModel(), s.blockSize(), s.seed());
    ServingResult result = ServingSimulation.run(options, requests, target, capacity, ServingPolicies.NONE
        .withKvShare(kvShare).withLoops(loops).withCacheCraft(cacheCraft).withSpeculation(speculation),
        watch.apply(ops));
    result = result.withPolicyMetrics(CapacityMetrics.of(result, s.blockSize(), weightBytes));
    saveStore(ops);
    inspect.accept(ops);
    return result;
  }

  /**
   * The op pricing of the scenario's fidelity on {@code system}; at cycle or memo fidelity with the
   * {@code memo-store} directory when one is named, so that shapes simulated by earlier runs are reused.
   */
  static OpModel opModel(Scenario s, SystemPreset system) {
    MemoryConfig memory = system.device().memoryConfig();
    MemoOpModel memo = switch (s.fidelity()) {
      case "cycle" -> MemoOpModel.exact(new CycleOpModel(system.device(), memory, system));
      case "memo" -> new MemoOpModel(new CycleOpModel(system.device(), memory, system), s.blockSize());
      default -> null;
    };
    if (memo == null) {
      return new RooflineOpModel(system.device(), memory, system);
    }
    String dir = s.text(MEMO_STORE_KEY).trim();
    if (dir.isEmpty()) {
      // compare, validate and sweep build their own scenarios: one variable serves them all
      String env = System.getenv(MEMO_STORE_ENV);
      dir = env == null ? "" : env.trim();
    }
    String where = dir;
    DevicePreset device = system.device();
    // a unit's prices depend on the unit and the memory only: runs on other systems with the same unit and
    // memory (a sweep of another unit's parameters, GPU beside Duplex) find them; collectives need the system.
    // Not on the fidelity or memo's bucketing either: a stored price is the cycle-level price of exactly the
    // shape it is stored under (memo asks for bucketed shapes, cycle for the run's own; memo's composed
    // attention is not stored, its pair runs are, by names that spell out their shapes).
    memo.withStores(MemoStores.perUnit(unit -> {
      Object config = unit == Unit.XPU ? device.xpuConfig().orElse(null)
          : device.nearMemory(unit.label()).orElse(null);
      return config == null ? null : store(where, List.of(unit.label(), config, memory));
    }, store(where, List.of(system, memory))));
    return memo;
  }

  /**
   * The store of prices computed on {@code hardware} in directory {@code where} (in memory if empty): one per
   * hardware and directory in this process, so that the runs of a sweep, comparison or suite share what each
   * simulates.
   */
  private static MemoStore store(String where, List<?> hardware) {
    String fingerprint = MemoStore.fingerprint(hardware);
    return STORES.computeIfAbsent(List.of(fingerprint, where),
        k -> where.isEmpty() ? MemoStore.inMemory() : MemoStore.open(Path.of(where), fingerprint));
  }

  private static final Map<List<String>, MemoStore> STORES = new ConcurrentHashMap<>();

  /** Writes what a run's memo simulated into its store (nothing without one). */
  static void saveStore(OpModel ops) {
    if (ops instanceof MemoOpModel memo) {
      memo.saveStore();
    }
  }

  /**
   * Scenario key: whether a device's units run their instructions concurrently (true, the default) or one
   * instruction at a time, as the Duplex authors' simulator sums op times (false, for comparison).
   */
  public static final String UNIT_OVERLAP_KEY = "unit-overlap";

  /** Scenario key: a directory where cycle and memo fidelity keep simulated op prices between runs. */
  public static final String MEMO_STORE_KEY = "memo-store";
  /** The environment variable that names the memo store when a scenario does not. */
  public static final String MEMO_STORE_ENV = "DUPLEXSIM_MEMO_STORE";
}
