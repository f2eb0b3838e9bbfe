package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.TraceHeader;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.MoeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongPredicate;

/**
 * Compiles one iteration of a model on a system into an instruction trace per device: embedding, per
 * block norm, QKV projection, rotary, KV append, prefill and decode attention, output projection,
 * norm, dense FFN or MoE gate + experts, residual adds, and at the end the final norm and the LM head
 * for the tokens that produce logits. Units follow the {@link Strategy}, the split over devices the
 * {@link ParallelPlan}; collectives appear as link instructions. Deps express what may overlap.
 *
 * <p>Expert choices come from an {@link ExpertRouter}, called once per MoE layer per iteration with the
 * iteration's tokens in batch order, so routing is global (one draw per token, whichever node holds it).
 */
public final class LayerCompiler {
  /** The KV cache's format: the models' 16-bit default; weight formats never change it (policies.md). */
  public static final TensorFormat KV_FORMAT = TensorFormat.BF16;

  private final ExpertRouter router;
  private final UnitCostOracle oracle;
  /** Equal layers share one segment; off only in tests that compare it with one segment per layer. */
  private boolean shareLayers = true;
  private final SharedSegments segments = new SharedSegments();

  /**
   * @param router expert choices per MoE layer (stateful: iterations should be compiled in order)
   * @param oracle expert cost table for the co-processing greedy; may be null if no strategy needs it
   */
  public LayerCompiler(ExpertRouter router, UnitCostOracle oracle) {
    this.router = Objects.requireNonNull(router, "router");
    this.oracle = oracle;
  }

  /** This compiler emitting every layer on its own (tests show it compiles the same traces). */
  LayerCompiler withoutSharedLayers() {
    shareLayers = false;
    return this;
  }

  /** As {@link #compile(ModelSpec, SystemPreset, Strategy, WeightFormat, IterationBatch, LongPredicate)} with every prefill entry its prompt's last chunk. */
  public CompiledIteration compile(ModelSpec model, SystemPreset system, Strategy strategy, WeightFormat weights,
      IterationBatch batch) {
    return compile(model, system, strategy, weights, batch, id -> true);
  }

  /**
   * Compiles {@code batch}. {@code promptEnds} says which prefill requests finish their prompt in this
   * iteration (their last token gets logits; an earlier chunk gets none). InputException for a model the
   * compiler does not support, a strategy the system's device lacks units for, or a split that does not fit.
   */
  public CompiledIteration compile(ModelSpec model, SystemPreset system, Strategy strategy, WeightFormat weights,
      IterationBatch batch, LongPredicate promptEnds) {
    return compile(model, system, strategy, weights, batch, promptEnds, null);
  }

  /**
   * As {@link #compile(ModelSpec, SystemPreset, Strategy, WeightFormat, IterationBatch, LongPredicate)} for a
   * recursive model made from {@code model} (the full L-layer model), passing through it as {@code loops}
   * says; null {@code loops} is the ordinary model.
   */
  public CompiledIteration compile(ModelSpec model, SystemPreset system, Strategy strategy, WeightFormat weights,
      IterationBatch batch, LongPredicate promptEnds, LoopPlan loops) {
    Objects.requireNonNull(batch, "batch");
    model.requireCompilable();
    requireUnits(system, strategy);
    if (strategy.moe() == Strategy.MoeMapping.GREEDY && model.isMoe() && oracle == null) {
      throw new IllegalArgumentException("strategy " + strategy.label() + " needs a UnitCostOracle");
    }
    ParallelPlan plan = plan(model, system, strategy);
    // (the loops over the batch are methods of their own: run once per iteration, loops here made the
    // JIT compile this method at several loop entries as well as whole)
    List<List<BatchEntry>> perNode = perNode(batch, plan);
    int[] layerTokens = layerTokens(model, batch);
    int[][] expertTokens = route(model, layerTokens);
    boolean decodeOnly = batch.tokens(Phase.PREFILL) == 0;
    List<List<SegmentPlacement>> placements = new ArrayList<>();
    DevicePreset device = system.device();
    SharedSegments shared = null;
    if (shareLayers) {
      segments.startIteration(model, system, strategy, weights);
      shared = segments;
    }
    for (int d = 0; d < plan.devices(); d++) {
      DeviceProgram p = new DeviceProgram(model, plan, strategy, weights, d, device.stacks(), layerTokens,
          perNode.get(d / plan.tp()), promptEnds, decodeOnly, oracle, loops, shared);
      placements.add(p.emit(expertTokens));
    }
    return CompiledIteration.ofSegments(batch, placements, d -> new TraceHeader(TraceHeader.CURRENT_VERSION,
        device.name(), model.name(), system.name() + " device " + d + ", " + strategy.label() + ", "
        + weights.label() + ", " + batch.entries().size() + " requests, " + batch.tokens() + " tokens"));
  }

  /** Data parallelism: each request on the node that holds its KV, or dealt to nodes in batch order. */
  private static List<List<BatchEntry>> perNode(IterationBatch batch, ParallelPlan plan) {
    List<List<BatchEntry>> perNode = new ArrayList<>();
    for (int n = 0; n < plan.nodes(); n++) {
      perNode.add(new ArrayList<>());
    }
    boolean placed = batch.entries().get(0).node() != BatchEntry.ANY_NODE;
    for (int i = 0; i < batch.entries().size(); i++) {
      BatchEntry e = batch.entries().get(i);
      if ((e.node() != BatchEntry.ANY_NODE) != placed || e.node() >= plan.nodes()) {
        throw new IllegalArgumentException("request " + e.requestId() + " is on node " + e.node() + ": entries must"
            + " all name one of the " + plan.nodes() + " nodes or none");
      }
      perNode.get(placed ? e.node() : i % plan.nodes()).add(e);
    }
    return perNode;
  }

  /** Tokens reaching each layer (all of them unless a recursive plan stops entries early). */
  private static int[] layerTokens(ModelSpec model, IterationBatch batch) {
    int[] layerTokens = new int[model.layers()];
    boolean everyLayer = true;
    for (BatchEntry e : batch.entries()) {
      everyLayer &= e.layers() >= model.layers();
    }
    if (everyLayer) {
      java.util.Arrays.fill(layerTokens, batch.tokens()); // every token goes through every layer
    } else {
      for (int l = 0; l < layerTokens.length; l++) {
        layerTokens[l] = batch.tokensInLayer(l);
      }
    }
    return layerTokens;
  }

  /** The last plan made, for the same model, system and strategy objects (a run compiles with one setting). */
  private ParallelPlan lastPlan;
  private List<Object> lastPlanFor = List.of();

  private ParallelPlan plan(ModelSpec model, SystemPreset system, Strategy strategy) {
    List<Object> now = lastPlanFor;
    if (now.size() != 3 || now.get(0) != model || now.get(1) != system || now.get(2) != strategy) {
      lastPlan = ParallelPlan.of(model, system, strategy);
      lastPlanFor = List.of(model, system, strategy);
    }
    return lastPlan;
  }

  /** Tokens per expert in each MoE layer (null for dense layers, and for a layer no token reaches). */
  private int[][] route(ModelSpec model, int[] layerTokens) {
    int[][] out = new int[model.layers()][];
    MoeSpec moe = model.moe();
    for (int l = 0; l < model.layers(); l++) {
      if (model.isMoeLayer(l) && layerTokens[l] > 0) {
        out[l] = router.tokensPerExpert(l, layerTokens[l], moe.experts(), moe.topK());
      }
    }
    return out;
  }

  private static void requireUnits(SystemPreset system, Strategy strategy) {
    DevicePreset d = system.device();
    for (String unit : List.of("xpu", strategy.requiredUnit())) {
      if (!d.hasUnit(unit)) {
        throw new InputException("strategy '" + strategy.label() + "' needs a device with " + unit + "; system '"
            + system.name() + "' has '" + d.name() + "' devices with " + d.units());
      }
    }
  }
}
