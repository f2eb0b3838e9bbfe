package io.duplexsim.workloads.compiler;

import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.RecursiveSpec;
import java.util.Objects;
import java.util.function.LongPredicate;
import java.util.function.LongToIntFunction;

/**
 * How one iteration passes through a recursive model ({@link RecursiveSpec}): the layers the compiler
 * emits and, for each emitted layer and batch entry, which loop it is in, so that the entry's tokens
 * use that (layer, loop)'s LoRA.
 *
 * <ul>
 *   <li>{@link #unrolled}: sequence-wise batching; every token runs all B loops in the iteration, so the
 *       iteration is the L-layer model with emitted layer l in loop l / K (the shared weights are
 *       streamed again in every loop, as a loop cannot reuse the previous one's reads);
 *   <li>{@link #depthwise}: continuous depth-wise batching; the iteration runs the K shared layers once
 *       over a batch whose entries sit at different loop depths, so the shared weights are read once
 *       for all of them, and each depth present adds its own adapters (gathering several LoRAs in one
 *       batch). Only entries at loop 0 are embedded, and only entries that leave the model in this
 *       iteration (last loop, or an early exit) get the final norm and, where due, logits.
 * </ul>
 */
public final class LoopPlan {
  private final int sharedLayers;
  private final int loops;
  private final int loraRank;
  private final LongToIntFunction depth;
  private final LongPredicate leaving;

  private LoopPlan(int sharedLayers, int loops, int loraRank, LongToIntFunction depth, LongPredicate leaving) {
    this.sharedLayers = sharedLayers;
    this.loops = loops;
    this.loraRank = loraRank;
    this.depth = depth;
    this.leaving = leaving;
  }

  /** Sequence-wise: all loops in one iteration. */
  public static LoopPlan unrolled(ModelSpec model, RecursiveSpec spec) {
    return new LoopPlan(spec.sharedLayers(model), spec.loops(), spec.loraRank(), null, id -> true);
  }

  /**
   * Depth-wise: the shared block once.
   *
   * @param loopOf the loop (0-based) each request's entry is in during this iteration
   * @param leaving whether a request's entry leaves the model at the end of this iteration's loop
   */
  public static LoopPlan depthwise(ModelSpec model, RecursiveSpec spec, LongToIntFunction loopOf,
      LongPredicate leaving) {
    return new LoopPlan(spec.sharedLayers(model), spec.loops(), spec.loraRank(), Objects.requireNonNull(loopOf),
        Objects.requireNonNull(leaving));
  }

  /** Blocks the iteration emits: L unrolled, K depth-wise. */
  public int layersPerIteration() {
    return depth == null ? sharedLayers * loops : sharedLayers;
  }

  public int loops() {
    return loops;
  }

  public int loraRank() {
    return loraRank;
  }

  /** The loop {@code entry} is in at emitted block {@code layer}. */
  public int loopOf(int layer, BatchEntry entry) {
    return depth == null ? layer / sharedLayers : depth.applyAsInt(entry.requestId());
  }

  /** Whether {@code entry}'s tokens enter the model in this iteration (need their embedding). */
  public boolean embeds(BatchEntry entry) {
    return depth == null || depth.applyAsInt(entry.requestId()) == 0;
  }

  /** Whether {@code entry}'s tokens leave the model at the end of this iteration (final norm, logits). */
  public boolean leaves(BatchEntry entry) {
    return leaving.test(entry.requestId());
  }
}
