package io.duplexsim.workloads.compiler;

import static io.duplexsim.workloads.compiler.TraceBuilder.NONE;
import static io.duplexsim.workloads.compiler.TraceBuilder.deps;

import io.duplexsim.isa.Activation;
import io.duplexsim.isa.ActivationKind;
import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.Barrier;
import io.duplexsim.isa.Collective;
import io.duplexsim.isa.CollectiveKind;
import io.duplexsim.isa.Elementwise;
import io.duplexsim.isa.ElementwiseOp;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.KvAppend;
import io.duplexsim.isa.Norm;
import io.duplexsim.isa.Rotary;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.TopKGate;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.workloads.model.FfnKind;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.PositionKind;
import io.duplexsim.workloads.model.RecursiveSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;

/** One device's share of one iteration, emitted layer by layer into a {@link TraceBuilder}. */
final class DeviceProgram {
  /** Tensors outside quantized GEMMs (norms, residuals, router, LM head, messages) stay 16-bit. */
  private static final TensorFormat ACT = TensorFormat.BF16;

  private final ModelSpec model;
  private final ParallelPlan plan;
  private final Strategy strategy;
  private final WeightFormat weights;
  private final int device;
  private final int stacks;
  /** The whole iteration's tokens in each layer (all nodes), for the MoE exchanges. */
  private final int[] layerIterationTokens;
  private int iterationTokens;
  private final List<BatchEntry> nodeEntries;
  /** This node's entries computed in the current layer (all of them but for early-terminated ones). */
  private List<BatchEntry> entries;
  private final boolean decodeOnly;
  private final UnitCostOracle oracle;
  private int tokens;
  private final int logits;
  /** Null for an ordinary model; else how the iteration passes through a recursive one. */
  private final LoopPlan loops;
  /** Tokens that enter the model in this iteration (all but a recursive model's deeper loops). */
  private final int embedTokens;
  /** Tokens that leave the model at the end of this iteration (all but those going one loop deeper). */
  private int leavingTokens;
  private final int dModel;
  private final int headDim;
  /** Whether equal layers may share a segment (never for a recursive model: adapters differ per layer). */
  private final boolean shareLayers;
  /** Segments by key, shared by the iteration's devices and, for lasting keys, later iterations. */
  private final SharedSegments shared;
  /** Whether this iteration's layers share segments (not when some tokens stop early). */
  private boolean share;
  /** The segment being emitted. */
  private TraceBuilder b;
  private final ArrayList<SegmentPlacement> placements = new ArrayList<>();
  /** Instructions placed so far: the id of the next segment's first instruction. */
  private int emitted;

  DeviceProgram(ModelSpec model, ParallelPlan plan, Strategy strategy, WeightFormat weights, int device, int stacks,
      int[] layerIterationTokens, List<BatchEntry> nodeEntries, LongPredicate promptEnds, boolean decodeOnly,
      UnitCostOracle oracle, LoopPlan loops, SharedSegments shared) {
    this.model = model;
    this.plan = plan;
    this.strategy = strategy;
    this.weights = weights;
    this.device = device;
    this.stacks = stacks;
    this.layerIterationTokens = layerIterationTokens;
    this.iterationTokens = layerIterationTokens[0];
    this.nodeEntries = nodeEntries;
    this.entries = nodeEntries;
    this.decodeOnly = decodeOnly;
    this.oracle = oracle;
    this.tokens = IterationBatch.tokensOf(nodeEntries);
    // decode: every new token gets logits (k+1 when verifying speculation); prefill: the prompt's last token;
    // tokens stopped before the last layer never reach the head
    this.logits = nodeEntries.stream()
        .filter(e -> (loops == null || loops.leaves(e)) && e.layers() >= model.layers())
        .mapToInt(e -> e.phase() == Phase.DECODE ? e.tokens() : promptEnds.test(e.requestId()) ? 1 : 0).sum();
    this.loops = loops;
    this.shareLayers = shared != null && loops == null;
    this.shared = shared;
    this.embedTokens = loops == null ? tokens
        : nodeEntries.stream().filter(loops::embeds).mapToInt(BatchEntry::tokens).sum();
    this.leavingTokens = loops == null ? tokens
        : nodeEntries.stream().filter(loops::leaves).mapToInt(BatchEntry::tokens).sum();
    this.dModel = model.dModel();
    this.headDim = model.attention().headDim();
  }

  /**
   * The device's trace as placed segments: the embedding, per layer an attention segment and an FFN
   * (or MoE) segment ending in the residual add, then the final norm and LM head. Within an iteration a
   * layer's segments depend only on its tokens and, for MoE, its expert choices, so equal layers share
   * one segment (emitted once) unless a recursive model or early termination makes layers differ.
   */
  List<SegmentPlacement> emit(int[][] expertTokens) {
    int last = NONE;
    int layers = loops == null ? model.layers() : loops.layersPerIteration();
    // sized once: embedding, head, per layer attention and an FFN or a dispatch, the held experts, a combine
    placements.ensureCapacity(2 + layers * (3 + plan.expertsOfDevice()[device].length));
    boolean layerLimits = false;
    for (BatchEntry e : nodeEntries) {
      layerLimits |= e.layers() < model.layers();
    }
    share = shareLayers && !layerLimits;
    if (embedTokens > 0) {
      LayerSegment embed = known(key.of(SegmentKey.EMBED).add(embedTokens));
      if (embed == null) {
        b = new TraceBuilder(0);
        int out = b.add(OpCategory.OTHER, id -> new Elementwise(id, Unit.XPU, deps(), ElementwiseOp.COPY,
            (long) embedTokens * dModel, ACT));
        if (model.positions() == PositionKind.LEARNED) {
          int gather = out;
          out = b.add(OpCategory.OTHER, id -> new Elementwise(id, Unit.XPU, deps(gather), ElementwiseOp.ADD,
              (long) embedTokens * dModel, ACT));
        }
        embed = keep(b.segment(out));
      }
      last = place(embed);
    }
    for (int l = 0; l < layers; l++) {
      // every token may have stopped before a layer; the body is a method so that C2 does not compile emit
      // at this loop's entry as well as whole
      if (layerIterationTokens[l] != 0) {
        last = layer(l, last, layerLimits, expertTokens);
      }
    }
    if (layerLimits) {
      enterLayer(model.layers());
      leavingTokens = loops == null ? tokens
          : entries.stream().filter(loops::leaves).mapToInt(BatchEntry::tokens).sum();
    }
    if (leavingTokens > 0) {
      int inputs = last == NONE ? 0 : 1;
      LayerSegment head = known(key.of(SegmentKey.HEAD).add(inputs).add(leavingTokens).add(logits));
      if (head == null) {
        b = new TraceBuilder(inputs);
        int out = norm(last == NONE ? NONE : 0, leavingTokens);
        if (logits > 0) {
          int in = out;
          out = b.add(OpCategory.FC, id -> new Gemm(id, Unit.XPU, deps(in), logits, dModel, plan.vocabColumns(), ACT,
              ACT, null, null, null));
        }
        head = keep(b.segment(out));
      }
      place(head, last);
    }
    return placements;
  }

  /** Layer {@code l}'s segments after {@code last}, returning the new last (apart: JIT, see emit's loop). */
  private int layer(int l, int last, boolean layerLimits, int[][] expertTokens) {
    iterationTokens = layerIterationTokens[l];
    if (layerLimits) {
      enterLayer(l);
    }
    boolean moe = model.isMoeLayer(l);
    if (!moe && tokens == 0) {
      return last; // a dense layer with none of this node's tokens: nothing to do
    }
    int residual = last;
    int ffnIn = last;
    if (tokens > 0) {
      boolean input = last != NONE;
      // within an iteration a node's layers attend alike (the batch's KV lengths): shared by the node's devices
      LayerSegment attention = share ? shared.attention(device / plan.tp(), input) : null;
      if (attention == null) {
        b = new TraceBuilder(input ? 1 : 0);
        attention = b.segment(attention(input ? 0 : NONE, l));
        if (share) {
          shared.keepAttention(device / plan.tp(), input, attention);
        }
      }
      ffnIn = place(attention, last);
    }
    if (moe) {
      return moeLayer(ffnIn, residual, expertTokens[l]);
    }
    int[] bound = SegmentInputs.of(ffnIn, residual);
    int in = SegmentInputs.local(bound, ffnIn);
    int res = SegmentInputs.local(bound, residual);
    LayerSegment ffn = known(key.of(SegmentKey.FFN).add(device / plan.tp()).add(bound.length).add(in).add(res)
        .add(tokens));
    if (ffn == null) {
      b = new TraceBuilder(bound.length);
      ffn = keep(b.segment(residualAdd(denseFfn(in, l), res)));
    }
    return placeBound(ffn, bound);
  }

  /**
   * The lasting segment under {@code key} (this program's {@link #key}, just built), or null when there
   * is none yet or layers are not shared. A lasting key names everything that can vary between
   * iterations too (token counts), so its segment is kept for later iterations.
   */
  private LayerSegment known(SegmentKey key) {
    return share ? shared.lasting(key) : null;
  }

  /** Keeps {@code s}, just emitted, under {@link #key} (unchanged since {@link #known} missed). */
  private LayerSegment keep(LayerSegment s) {
    return share ? shared.keep(key, s) : s;
  }

  /** The lasting key being looked up, built in place. */
  private final SegmentKey key = new SegmentKey();
  /** The last dispatch segment placed, and what it was for (besides this device). */
  private LayerSegment lastDispatch;
  private int lastDispatchInputs = -1;
  private int lastDispatchIterationTokens = -1;
  private int lastDispatchTokens = -1;

  /** The block's second residual add, when this node has tokens in the layer. */
  private int residualAdd(int in, int residual) {
    if (tokens == 0) {
      return in;
    }
    return b.add(OpCategory.OTHER, deps(in, residual), (id, d) -> new Elementwise(id, Unit.XPU, d,
        ElementwiseOp.ADD, (long) tokens * dModel, ACT));
  }

  /** Places {@code segment} after everything emitted so far, its inputs bound to {@code inputIds} (NONE dropped). */
  private int place(LayerSegment segment, int... inputIds) {
    return placeBound(segment, SegmentInputs.of(inputIds));
  }

  /** {@link #place} with inputs already bound ({@link SegmentInputs#of}: the MoE block binds them once for several). */
  private int placeBound(LayerSegment segment, int[] bound) {
    if (bound.length != segment.inputs()) {
      throw new IllegalStateException(segment.inputs() + " inputs expected, got " + Arrays.toString(bound));
    }
    SegmentPlacement p = new SegmentPlacement(segment, emitted, bound);
    placements.add(p);
    emitted += segment.size();
    return p.outputId();
  }

  /** Keeps this node's entries still computing at {@code layer} (the model's depth: those that finish). */
  private void enterLayer(int layer) {
    entries = nodeEntries.stream().filter(e -> layer < model.layers() ? e.inLayer(layer) : e.layers() >= layer)
        .toList();
    tokens = IterationBatch.tokensOf(entries);
  }

  // ---- attention block: norm, QKV, rotary, KV append, attention, output projection, all-reduce, residual

  private int attention(int in, int layer) {
    int hq = plan.headsPerDevice();
    int hkv = plan.kvHeadsPerDevice();
    int n = norm(in);
    int qkv = adapted(gemm(OpCategory.FC, Unit.XPU, deps(n), tokens, dModel, (hq + 2 * hkv) * headDim), deps(n),
        layer, dModel, hq * headDim, hkv * headDim, hkv * headDim);
    int rot = qkv;
    if (model.positions() == PositionKind.ROTARY) {
      rot = b.add(OpCategory.ATTENTION, id -> new Rotary(id, Unit.XPU, deps(qkv), tokens, hq + hkv, headDim, ACT));
    }
    int r = rot;
    long kvBytes = (long) Math.ceil(2.0 * hkv * headDim * LayerCompiler.KV_FORMAT.bytesPerElement());
    int kv = b.add(OpCategory.ATTENTION, id -> new KvAppend(id, Unit.XPU, deps(r), tokens, 1, kvBytes, null));
    int pre = attend(Phase.PREFILL, strategy.prefillAttention(), deps(kv));
    // co-processing lets decode attention overlap prefill attention; otherwise one unit at a time
    IntSeq decodeDeps = strategy.attentionCoProcessing() ? deps(kv) : deps(kv, pre);
    int dec = attend(Phase.DECODE, strategy.decodeAttention(), decodeDeps);
    int o = adapted(gemm(OpCategory.FC, Unit.XPU, deps(pre, dec), tokens, hq * headDim, dModel), deps(pre, dec),
        layer, hq * headDim, dModel);
    int reduced = allReduceInNode(o, tokens);
    int res = b.add(OpCategory.OTHER, deps(reduced, in), (id, d) -> new Elementwise(id, Unit.XPU, d,
        ElementwiseOp.ADD, (long) tokens * dModel, ACT));
    return norm(res);
  }

  /** One Attention over this node's requests in {@code phase}, or NONE when there are none. */
  private int attend(Phase phase, Unit unit, IntSeq deps) {
    int n = 0;
    for (BatchEntry e : entries) {
      n += e.phase() == phase ? 1 : 0;
    }
    if (n == 0) {
      return NONE;
    }
    int[] queryTokens = new int[n];
    int[] kvLengths = new int[n];
    // decode of several tokens (speculative verification) is causal among the new tokens too
    boolean several = false;
    int i = 0;
    for (BatchEntry e : entries) {
      if (e.phase() == phase) {
        queryTokens[i] = e.tokens();
        kvLengths[i++] = e.kvLength();
        several |= e.tokens() > 1;
      }
    }
    boolean causal = phase == Phase.PREFILL || several;
    IntSeq q = IntSeq.of(queryTokens);
    IntSeq kv = IntSeq.of(kvLengths);
    AttentionPhase p = phase == Phase.PREFILL ? AttentionPhase.PREFILL : AttentionPhase.DECODE;
    return b.add(OpCategory.ATTENTION, id -> new Attention(id, unit, deps, q, kv, plan.headsPerDevice(),
        plan.kvHeadsPerDevice(), headDim, causal, p, LayerCompiler.KV_FORMAT, null));
  }

  // ---- FFN

  private int denseFfn(int in, int layer) {
    int f = plan.ffnColumns();
    int out = ffn(OpCategory.FC, Unit.XPU, deps(in), tokens, f, layer);
    return allReduceInNode(out, tokens);
  }

  /**
   * Gate/up, activation, down of {@code rows} tokens over {@code columns} FFN columns; returns down.
   * {@code layer} is the emitted block for a dense FFN (its adapters, if recursive), -1 for an expert.
   */
  private int ffn(OpCategory cat, Unit unit, IntSeq in, int rows, int columns, int layer) {
    FfnKind kind = model.ffnKind();
    int gate = kind.gated() ? adapted(gemm(cat, unit, in, rows, dModel, columns), in, layer, dModel, columns) : NONE;
    int up = adapted(gemm(cat, unit, in, rows, dModel, columns), in, layer, dModel, columns);
    long elements = (long) rows * columns;
    int act;
    if (kind.activation() == ActivationKind.SWIGLU) {
      act = b.add(cat, deps(gate, up), (id, d) -> new Activation(id, unit, d, ActivationKind.SWIGLU, elements, ACT));
    } else if (kind.activation() == ActivationKind.GELU) {
      int g = b.add(cat, deps(gate, up), (id, d) -> new Activation(id, unit, d, ActivationKind.GELU, elements, ACT));
      act = !kind.gated() ? g : b.add(cat, deps(g), (id, d) -> new Elementwise(id, unit, d, ElementwiseOp.MUL,
          elements, ACT));
    } else {
      // ReLU: the isa has no such op; SCALE has its cost (one input, one op per element)
      act = b.add(cat, deps(up), (id, d) -> new Elementwise(id, unit, d, ElementwiseOp.SCALE, elements, ACT));
    }
    return adapted(gemm(cat, unit, deps(act), rows, columns, dModel), deps(act), layer, columns, dModel);
  }

  /**
   * A recursive model's per-(layer, loop) LoRA on a base GEMM whose local shape is k x n (one n per
   * matrix when the GEMM fuses several, as QKV does): for each loop present in the batch, its tokens
   * times A (k x r) then B (r x n) accumulated into the base output, as batched-LoRA kernels (Punica's
   * SGMV) do; returns the join (the base when there are no adapters). The accumulation's read of the
   * base output is not priced. The adapters mirror the base's split: a column-parallel base shards B, a
   * row-parallel one shards A, and the partial sums ride the base's all-reduce.
   */
  private int adapted(int base, IntSeq in, int layer, int k, int... ns) {
    if (loops == null || loops.loraRank() == 0 || layer < 0) {
      return base;
    }
    int r = loops.loraRank();
    int[] perLoop = new int[loops.loops()];
    for (BatchEntry e : entries) {
      perLoop[loops.loopOf(layer, e)] += e.tokens();
    }
    List<Integer> join = new ArrayList<>();
    join.add(base);
    for (int n : ns) {
      for (int t : perLoop) {
        if (t > 0) {
          int down = b.add(OpCategory.FC, in, (id, d) -> new Gemm(id, Unit.XPU, d, t, k, r,
              RecursiveSpec.ADAPTER_FORMAT, ACT, null, null, null));
          join.add(b.add(OpCategory.FC, deps(down), (id, d) -> new Gemm(id, Unit.XPU, d, t, r, n,
              RecursiveSpec.ADAPTER_FORMAT, ACT, null, null, null)));
        }
      }
    }
    return b.add(OpCategory.FC, deps(join), (id, d) -> new Barrier(id, Unit.XPU, d));
  }

  // ---- MoE: gate, dispatch, experts, partial-sum reduction, combine

  /**
   * One MoE block as three kinds of segment: router, gate and dispatch; each held expert's FFN (shared by
   * every expert and layer with the same unit and token count); and the partial-sum reduction, combine
   * and residual add. Returns the block's result.
   */
  private int moeLayer(int in, int residual, int[] perExpert) {
    int[] preIn = SegmentInputs.of(in);
    // the layers of an iteration mostly dispatch alike: the last one's segment is looked at first
    LayerSegment dispatch = preIn.length == lastDispatchInputs && iterationTokens == lastDispatchIterationTokens
        && tokens == lastDispatchTokens ? lastDispatch : null;
    if (dispatch == null) {
      dispatch = known(key.of(SegmentKey.DISPATCH).add(device).add(preIn.length).add(iterationTokens)
          .add(tokens));
      if (dispatch == null) {
        b = new TraceBuilder(preIn.length);
        dispatch = keep(b.segment(dispatch(preIn.length > 0 ? 0 : NONE, perExpert.length)));
      }
      lastDispatch = dispatch;
      lastDispatchInputs = preIn.length;
      lastDispatchIterationTokens = iterationTokens;
      lastDispatchTokens = tokens;
    }
    int dispatched = placeBound(dispatch, preIn);
    int[] held = plan.expertsOfDevice()[device];
    int[] heldTokens = new int[held.length];
    for (int i = 0; i < held.length; i++) {
      heldTokens[i] = perExpert[held[i]];
    }
    Unit[] units = expertUnits(heldTokens);
    int[] downs = new int[held.length];
    Arrays.fill(downs, NONE);
    int[] expertIn = SegmentInputs.of(dispatched);
    for (int i = 0; i < held.length; i++) {
      int t = heldTokens[i];
      Unit unit = units[i];
      if (t > 0) {
        LayerSegment expert = share ? shared.expert(expertIn.length, unit, t) : null;
        if (expert == null) {
          b = new TraceBuilder(expertIn.length);
          expert = b.segment(ffn(OpCategory.MOE, unit, deps(expertIn.length > 0 ? 0 : NONE), t,
              plan.expertColumns(), -1));
          expert = share ? shared.keepExpert(expertIn.length, unit, t, expert) : expert;
        }
        downs[i] = placeBound(expert, expertIn);
      }
    }
    int[] all = new int[held.length + 2];
    all[0] = dispatched;
    System.arraycopy(downs, 0, all, 1, held.length);
    all[held.length + 1] = residual;
    int[] postIn = SegmentInputs.of(all);
    int dispatchedLocal = SegmentInputs.local(postIn, dispatched);
    int residualLocal = SegmentInputs.local(postIn, residual);
    int[] downsLocal = new int[downs.length];
    for (int i = 0; i < downs.length; i++) {
      downsLocal[i] = SegmentInputs.local(postIn, downs[i]);
    }
    key.of(SegmentKey.COMBINE).add(device).add(downsLocal).add(dispatchedLocal).add(residualLocal).add(heldTokens)
        .add(units.length);
    for (Unit u : units) {
      key.add(u.ordinal());
    }
    LayerSegment combine = known(key.add(iterationTokens).add(tokens));
    if (combine == null) {
      b = new TraceBuilder(postIn.length);
      combine = keep(b.segment(residualAdd(combine(dispatchedLocal, downsLocal, held, heldTokens, units),
          residualLocal)));
    }
    return placeBound(combine, postIn);
  }

  /** Router GEMM and top-k gate over this device's share of the tokens, then the dispatch all-to-all. */
  private int dispatch(int in, int experts) {
    int topK = model.moe().topK();
    int tp = plan.tp();
    // EP: a node's devices hold the same activations, so each gates and dispatches its slice; ET: all
    int gateTokens = plan.expertTensorParallel() ? tokens
        : tokens / tp + (device % tp < tokens % tp ? 1 : 0);
    int gated = in;
    if (gateTokens > 0) {
      int router = b.add(OpCategory.MOE, id -> new Gemm(id, Unit.XPU, deps(in), gateTokens, dModel, experts, ACT, ACT,
          null, null, null));
      gated = b.add(OpCategory.MOE, id -> new TopKGate(id, Unit.XPU, deps(router), gateTokens, experts, topK, ACT));
    }
    IntSeq group = plan.dispatchGroup(device);
    return group.size() > 1 ? collective(CollectiveKind.ALL_TO_ALL, exchanged(group), group, gated) : gated;
  }

  /** An all-to-all's payload: its members must agree on one, the group's mean buffer. */
  private long exchanged(IntSeq group) {
    return (long) Math.ceil((double) iterationTokens * model.moe().topK() * dModel * ACT.bytesPerElement()
        / group.size());
  }

  /**
   * After the experts ({@code downs}: each held expert's down projection, NONE when it had no tokens):
   * the stacks' partial sums, the join, the expert-parallel reductions and the combine all-to-all.
   */
  private int combine(int dispatched, int[] downs, int[] held, int[] heldTokens, Unit[] units) {
    IntSeq group = plan.dispatchGroup(device);
    long exchanged = exchanged(group);
    List<Integer> join = new ArrayList<>();
    List<Integer> pimDowns = new ArrayList<>();
    long pimRows = 0;
    long rows = 0;
    for (int i = 0; i < held.length; i++) {
      if (heldTokens[i] == 0) {
        continue;
      }
      rows += heldTokens[i];
      if (units[i] == Unit.XPU) {
        join.add(downs[i]);
      } else {
        pimDowns.add(downs[i]);
        pimRows += heldTokens[i];
      }
    }
    if (!pimDowns.isEmpty() && stacks > 1) {
      // Duplex splits each expert's columns over the stacks; the xPU adds the stacks' down-projection
      // partial sums once after all experts (duplex-paper.md)
      long elements = (stacks - 1) * pimRows * dModel;
      join.add(b.add(OpCategory.MOE, deps(pimDowns), (id, d) -> new Elementwise(id, Unit.XPU, d, ElementwiseOp.ADD,
          elements, ACT)));
    } else {
      join.addAll(pimDowns);
    }
    int done = join.isEmpty() ? dispatched : b.add(OpCategory.MOE, deps(join),
        (id, d) -> new Barrier(id, Unit.XPU, d));
    if (plan.expertTensorParallel()) {
      // each device holds a column shard of its node's experts: sum the shards' partial outputs
      long received = Math.min(rows, iterationTokens);
      int reduced = received > 0 ? allReduceInNode(done, received) : done;
      return group.size() > 1 ? collective(CollectiveKind.ALL_TO_ALL, exchanged, group, reduced) : reduced;
    }
    for (int i = 0; i < held.length; i++) {
      int[] holders = plan.expertHolders()[held[i]];
      if (holders.length > 1 && heldTokens[i] > 0) {
        // more devices than experts: the expert's TP group sums its partial outputs
        done = collective(CollectiveKind.ALL_REDUCE, rowBytes(heldTokens[i]), IntSeq.of(holders), done);
      }
    }
    int combined = group.size() > 1 ? collective(CollectiveKind.ALL_TO_ALL, exchanged, group, done) : done;
    // the node's devices gather each other's slices again: an all-gather, as an all-reduce of disjoint
    // slices (the isa has no all-gather; a ring all-reduce moves twice its bytes)
    return tokens > 0 ? allReduceInNode(combined, tokens) : combined;
  }

  /** The unit of each held expert, by the strategy's MoE mapping. */
  private Unit[] expertUnits(int[] heldTokens) {
    Unit[] u = new Unit[heldTokens.length];
    switch (strategy.moe()) {
      case XPU -> Arrays.fill(u, Unit.XPU);
      case PIM_WHEN_DECODE_ONLY -> Arrays.fill(u, decodeOnly ? Unit.LOGIC_PIM : Unit.XPU);
      case GREEDY -> {
        ExpertShape shape = new ExpertShape(dModel, plan.expertColumns(), model.ffnKind().matrices(), weights);
        return ExpertCoProcessing.split(heldTokens, shape, oracle, Unit.XPU, Unit.LOGIC_PIM);
      }
      default -> throw new IllegalStateException(strategy.moe().toString());
    }
    return u;
  }

  // ---- helpers

  private int norm(int in) {
    return norm(in, tokens);
  }

  private int norm(int in, int rows) {
    return b.add(OpCategory.OTHER, deps(in), (id, d) -> new Norm(id, Unit.XPU, d, model.norm(), rows, dModel, ACT));
  }

  private int gemm(OpCategory cat, Unit unit, IntSeq deps, int m, int k, int n) {
    return b.add(cat, deps, (id, d) -> new Gemm(id, unit, d, m, k, n, weights.weights(), weights.activations(), null,
        null, null));
  }

  /** Row-parallel output: all-reduce {@code rows} x d_model over the node (none with one device per node). */
  private int allReduceInNode(int after, long rows) {
    if (plan.tp() == 1) {
      return after;
    }
    return collective(CollectiveKind.ALL_REDUCE, rowBytes(rows), plan.nodeGroup(device), after);
  }

  /** Bytes of {@code rows} hidden-state vectors as they travel (16-bit). */
  private long rowBytes(long rows) {
    return (long) Math.ceil(rows * dModel * ACT.bytesPerElement());
  }

  private int collective(CollectiveKind kind, long payload, IntSeq group, int after) {
    return b.add(OpCategory.COMMUNICATION, deps(after), (id, d) -> new Collective(id, Unit.LINK, d, kind,
        Math.max(1, payload), group));
  }
}
