package io.duplexsim.validation.run;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.exec.CycleOpModel;
import io.duplexsim.units.exec.MemoOpModel;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.units.exec.RooflineOpModel;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.ExpertRouter;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.compiler.ParallelPlan;
import io.duplexsim.workloads.compiler.Strategy;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.ServingOptions;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.workloads.serving.ServingSimulation;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RequestSource;
import io.duplexsim.workloads.serving.requests.SharedPrefix;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import io.duplexsim.workloads.serving.requests.TraceRequests;
import io.duplexsim.workloads.serving.speculative.DraftModel;
import io.duplexsim.workloads.serving.speculative.SpeculativeConfig;
import io.duplexsim.workloads.serving.speculative.SpeculativeDecoding;
import io.duplexsim.workloads.system.ModelCostOracle;
import io.duplexsim.workloads.system.SystemIterationModel;
import java.util.List;
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
    return new Built(Systems.of(device, perNode, nodes), Strategy.parse(strategy));
  }

  public static ServingResult run(Scenario s, WeightFormat weights) {
    return run(s, weights, ops -> { });
  }

  /** As {@link #run(Scenario, WeightFormat)}, handing the op pricing to {@code inspect} after the run. */
  public static ServingResult run(Scenario s, WeightFormat weights, Consumer<OpModel> inspect) {
    Built built = system(s);
    SystemPreset system = built.system();
    ModelSpec model = Models.load(s.model());
    model.requireCompilable();
    if (!FIDELITIES.contains(s.fidelity())) {
      throw new InputException("fidelity: unknown '" + s.fidelity() + "'; expected one of " + FIDELITIES);
    }
    MemoryConfig memory = system.device().memoryConfig();
    OpModel ops = switch (s.fidelity()) {
      case "cycle" -> MemoOpModel.exact(new CycleOpModel(system.device(), memory, system));
      case "memo" -> new MemoOpModel(new CycleOpModel(system.device(), memory, system), s.blockSize());
      default -> new RooflineOpModel(system.device(), memory, system);
    };
    String routerSpec = s.router().equals("uniform") ? "uniform:" + s.seed() : s.router();
    LayerCompiler compiler = new LayerCompiler(ExpertRouter.parse(routerSpec), new ModelCostOracle(ops));
    Function<IterationBatch, CompiledIteration> compile =
        batch -> compiler.compile(model, system, built.strategy(), weights, batch);
    ServingOptions options = ServingOptions.DEFAULTS.withMaxNumSeqs(s.maxNumSeqs())
        .withMaxNumBatchedTokens(s.maxNumBatchedTokens()).withBlockSize(s.blockSize())
        .withGpuMemoryUtilization(s.gpuMemoryUtilization()).withEnablePrefixCaching(s.enablePrefixCaching());
    ParallelPlan plan = ParallelPlan.of(model, system, built.strategy());
    SpeculativeConfig speculative = SpeculativeConfig.parse(s.text(SpeculativeConfig.MODEL_KEY),
        s.text(SpeculativeConfig.TOKENS_KEY), s.text(SpeculativeConfig.RATE_KEY), s.text(SpeculativeConfig.CONTROLLER_KEY));
    DraftModel draft = speculative.draftModel() == null ? null
        : DraftModel.load(speculative.draftModel(), model, system, built.strategy(), weights, compiler, ops);
    KvCapacity capacity = draft != null ? draft.capacity(model, plan, KvCapacity.deviceMemoryBytes(system.device()),
        s.activationReserveGb() * 1e9, options) : KvCapacity.forDevices(model, LayerCompiler.KV_FORMAT,
        KvCapacity.deviceMemoryBytes(system.device()), plan.weightBytesPerDevice(model, weights),
        plan.kvHeadsPerDevice(), plan.tp(), plan.nodes(), s.activationReserveGb() * 1e9, options);
    RequestSource requests;
    if (s.trace() != null) {
      requests = TraceRequests.read(s.trace());
    } else {
      String arrival = s.arrival().trim().toLowerCase(Locale.ROOT).equals("closed")
          ? "closed:" + s.maxNumSeqs() : s.arrival();
      requests = new SyntheticRequests(s.requests(), LengthDistribution.parse(s.inputLen(), "input-len"),
          LengthDistribution.parse(s.outputLen(), "output-len"), ArrivalProcess.parse(arrival, "arrival"),
          SharedPrefix.parse(s.sharedPrefix()), s.seed());
    }
    SystemIterationModel target = new SystemIterationModel(compile, ops);
    ServingResult result = !speculative.enabled() ? ServingSimulation.run(options, requests, target, capacity)
        : ServingSimulation.run(options, requests, target, capacity, new SpeculativeDecoding(speculative, target,
            draft == null ? null : draft.iterationModel(), s.blockSize(), s.seed()));
    inspect.accept(ops);
    return result;
  }
}
