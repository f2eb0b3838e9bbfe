package io.duplexsim.workloads.serving.recursive;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.LoopPlan;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.RecursiveSpec;
import io.duplexsim.workloads.serving.LoopTracker;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Serving a Relaxed Recursive Transformer (arXiv 2410.20672) with continuous batching, sequence-wise or
 * depth-wise. It is both the iteration's compiler front end (it decides, for each scheduled entry, its
 * loop and whether it leaves the model, then compiles the iteration with the matching {@link LoopPlan})
 * and the engine's {@link LoopTracker}.
 *
 * <ul>
 *   <li>{@link Mode#SEQUENCE}: every entry runs all B loops in its iteration (the unrolled L-layer model
 *       plus adapters). Exit draws are made and counted, but a token that exits stays in the batch to the
 *       end of the pass, as in sequence-wise batching, so they change no work.
 *   <li>{@link Mode#DEPTH}: each iteration runs the K shared layers once; an entry advances one loop per
 *       iteration and keeps its tokens until it leaves. A decode token leaves after loop j (j &lt; B) with
 *       probability {@code exitProbabilities[j-1]} (oracle exits, as the paper's throughput analysis
 *       assumes: no confidence head is run), else after loop B; leaving frees the slot at once, so the
 *       request's next token starts at loop 1 in the next iteration. Prompt tokens run every loop: the
 *       later tokens attend their KV at every depth.
 * </ul>
 * An exited token's KV at the loops it skipped is taken as filled from its exit state (state copying,
 * not priced): later tokens attend the full context at every depth. Draws use their own seeded stream,
 * in batch order, so a seed fixes every exit.
 */
public final class RecursiveBatching implements LoopTracker, Function<IterationBatch, CompiledIteration> {
  /** Sequence-wise or depth-wise continuous batching. */
  public enum Mode {
    SEQUENCE, DEPTH;

    /** The mode called {@code name} ("sequence" or "depth"); InputException naming {@code key} otherwise. */
    public static Mode parse(String name, String key) {
      return switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "sequence", "sequence-wise" -> SEQUENCE;
        case "depth", "depth-wise" -> DEPTH;
        default -> throw new InputException(key + " must be 'sequence' or 'depth', got '" + name + "'");
      };
    }
  }

  /** Stream constant so the exit draws do not share the request generator's stream for the same seed. */
  private static final long EXIT_STREAM = 0x5EC0_12E7_1A7E_0001L;

  private final ModelSpec model;
  private final RecursiveSpec spec;
  private final Mode mode;
  private final double[] exitProbabilities;
  private final BiFunction<IterationBatch, LoopPlan, CompiledIteration> compiler;
  private final SplittableRandom rng;
  private final LoopPlan unrolled;

  /** Loop (0-based) of each request's entry in flight; absent = about to start loop 0. */
  private final Long2IntOpenHashMap depth = new Long2IntOpenHashMap();
  /** Tokens of each entry in flight part-way through the loops. */
  private final Long2IntOpenHashMap inFlight = new Long2IntOpenHashMap();
  /** Requests whose entry leaves the model in the iteration just compiled. */
  private final LongOpenHashSet leaving = new LongOpenHashSet();
  private final Long2IntOpenHashMap now = new Long2IntOpenHashMap();

  private final long[] exitsPerLoop;
  private long decodeTokens;
  private long decodeLoops;
  private long iterations;
  private long adapterSetsPerLayer;

  /**
   * @param model the L-layer model the recursive one is made from
   * @param exitProbabilities per loop 1..B-1, the chance a decode token that finished it leaves (length B-1)
   * @param compiler compiles an iteration of {@code model} under a loop plan
   */
  public RecursiveBatching(ModelSpec model, RecursiveSpec spec, Mode mode, double[] exitProbabilities, long seed,
      BiFunction<IterationBatch, LoopPlan, CompiledIteration> compiler) {
    spec.requireFits(model);
    if (spec.loops() < 2) {
      throw new InputException("recursive-loops must be >= 2 for recursive batching, got " + spec.loops());
    }
    if (exitProbabilities.length != spec.loops() - 1) {
      throw new InputException("recursive-exit-probs needs " + (spec.loops() - 1) + " probabilities (after loops 1.."
          + (spec.loops() - 1) + ") or one for all, got " + exitProbabilities.length);
    }
    for (double p : exitProbabilities) {
      if (!(p >= 0 && p <= 1)) {
        throw new InputException("recursive-exit-probs must be in [0, 1], got " + p);
      }
    }
    this.model = model;
    this.spec = spec;
    this.mode = mode;
    this.exitProbabilities = exitProbabilities.clone();
    this.compiler = compiler;
    this.rng = new SplittableRandom(seed ^ EXIT_STREAM);
    this.unrolled = LoopPlan.unrolled(model, spec);
    this.exitsPerLoop = new long[spec.loops()];
  }

  @Override
  public CompiledIteration apply(IterationBatch batch) {
    leaving.clear();
    now.clear();
    int last = spec.loops() - 1;
    boolean[] present = new boolean[spec.loops()];
    for (BatchEntry e : batch.entries()) {
      long id = e.requestId();
      int j = mode == Mode.SEQUENCE ? 0 : depth.get(id);
      now.put(id, j);
      present[j] = true;
      boolean decode = e.phase() == Phase.DECODE;
      int exitAt = last; // the loop after which the token leaves
      if (decode) {
        for (int k = j; k < last; k++) {
          if (exitProbabilities[k] > 0 && rng.nextDouble() < exitProbabilities[k]) {
            exitAt = k;
            break;
          }
          if (mode == Mode.DEPTH) {
            break; // depth-wise draws once per iteration, at the entry's own loop
          }
        }
        if (mode == Mode.SEQUENCE || exitAt == j) {
          exitsPerLoop[exitAt] += e.tokens();
          decodeTokens += e.tokens();
          decodeLoops += (long) e.tokens() * (mode == Mode.SEQUENCE ? spec.loops() : exitAt + 1);
        }
      }
      if (mode == Mode.SEQUENCE || j == last || (decode && exitAt == j)) {
        leaving.add(id);
      }
    }
    iterations++;
    for (boolean p : present) {
      adapterSetsPerLayer += mode == Mode.SEQUENCE || p ? 1 : 0; // sequence-wise: every loop's set, in turn
    }
    CompiledIteration compiled = compiler.apply(batch, mode == Mode.SEQUENCE ? unrolled
        : LoopPlan.depthwise(model, spec, now::get, leaving::contains));
    if (mode == Mode.DEPTH) {
      for (BatchEntry e : batch.entries()) {
        long id = e.requestId();
        if (leaving.contains(id)) {
          depth.remove(id);
          inFlight.remove(id);
        } else {
          depth.put(id, now.get(id) + 1);
          inFlight.put(id, e.tokens());
        }
      }
    }
    return compiled;
  }

  @Override
  public int tokensInFlight(long requestId) {
    return inFlight.get(requestId);
  }

  @Override
  public boolean passDone(long requestId) {
    return leaving.contains(requestId);
  }

  @Override
  public void preempted(long requestId) {
    depth.remove(requestId);
    inFlight.remove(requestId);
  }

  /**
   * exits_per_loop: decode tokens that left after loop 1..B; mean_loops_per_token over decode tokens;
   * LoRA overhead as FLOPs per token over the base linear layers' and adapter bytes; adapter sets each
   * shared layer reads per iteration (1 for a batch at one depth, up to B when depths mix).
   */
  @Override
  public void addMetrics(Map<String, Object> metrics) {
    metrics.put("recursive_batching", mode == Mode.DEPTH ? "depth" : "sequence");
    metrics.put("recursive_loops", spec.loops());
    metrics.put("recursive_shared_layers", spec.sharedLayers(model));
    metrics.put("lora_rank", spec.loraRank());
    List<Long> exits = new ArrayList<>();
    Arrays.stream(exitsPerLoop).forEach(exits::add);
    metrics.put("exits_per_loop", exits);
    metrics.put("mean_loops_per_token", decodeTokens > 0 ? (double) decodeLoops / decodeTokens : 0.0);
    metrics.put("lora_flops_overhead", spec.loraFlopsPerToken(model) / RecursiveSpec.baseLinearFlopsPerToken(model));
    metrics.put("lora_adapter_bytes", spec.adapterBytes(model));
    metrics.put("adapter_sets_per_layer_per_iteration",
        iterations > 0 ? (double) adapterSetsPerLayer / iterations : 0.0);
  }
}
