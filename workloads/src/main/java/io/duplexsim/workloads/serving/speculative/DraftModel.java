package io.duplexsim.workloads.serving.speculative;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.compiler.ParallelPlan;
import io.duplexsim.workloads.compiler.Strategy;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import io.duplexsim.workloads.serving.IterationModel;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.ServingOptions;
import io.duplexsim.workloads.system.SystemIterationModel;

/**
 * A draft model on the target's devices: split by the same strategy over the same devices (as vLLM runs
 * a draft at the target's tensor parallelism), in the same weight format, its iterations compiled and
 * priced like the target's.
 *
 * @param spec the draft's dimensions
 * @param plan its split over the devices
 * @param iterationModel prices a batch of draft iterations
 */
public record DraftModel(ModelSpec spec, ParallelPlan plan, WeightFormat weights, IterationModel iterationModel) {

  /**
   * Loads the draft named by {@code name} (preset or config.json) for {@code target}; InputException
   * naming {@code speculative-model} if it does not exist, cannot be compiled or split over the devices,
   * or has another vocabulary than the target (a draft proposes the target's token ids, so vLLM requires
   * the same vocabulary).
   */
  public static DraftModel load(String name, ModelSpec target, SystemPreset system, Strategy strategy,
      WeightFormat weights, LayerCompiler compiler, OpModel ops) {
    ModelSpec draft;
    ParallelPlan plan;
    try {
      draft = Models.load(name);
      draft.requireCompilable();
      plan = ParallelPlan.of(draft, system, strategy);
    } catch (InputException e) {
      throw new InputException(SpeculativeConfig.MODEL_KEY + ": " + e.getMessage(), e);
    }
    if (draft.vocab() != target.vocab()) {
      throw new InputException(SpeculativeConfig.MODEL_KEY + ": draft model " + draft.name() + " has a vocabulary of "
          + draft.vocab() + " tokens but the target " + target.name() + " has " + target.vocab()
          + "; a draft must share the target's tokenizer");
    }
    IterationModel model = new SystemIterationModel(batch -> compiler.compile(draft, system, strategy, weights, batch),
        ops);
    return new DraftModel(draft, plan, weights, model);
  }

  /** The replica's KV capacity with this draft's weights and KV beside the target's; InputException if it does not fit. */
  public KvCapacity capacity(ModelSpec target, ParallelPlan targetPlan, double deviceMemoryBytes,
      double activationReserveBytes, ServingOptions options) {
    return DraftCapacity.forDevices(target, spec, LayerCompiler.KV_FORMAT, deviceMemoryBytes,
        targetPlan.weightBytesPerDevice(target, weights), plan.weightBytesPerDevice(spec, weights),
        targetPlan.kvHeadsPerDevice(), plan.kvHeadsPerDevice(), targetPlan.tp(), targetPlan.nodes(),
        activationReserveBytes, options);
  }
}
