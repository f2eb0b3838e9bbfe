package io.duplexsim.workloads.serving;

import io.duplexsim.workloads.serving.cachecraft.ChunkPlan;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * A request inside the engine. Its KV holds {@code computed} tokens; while {@code prefilling} it is
 * computing (or, after a recompute preemption, recomputing) the prompt and every token generated so
 * far, and the iteration that finishes that prefill emits the next token; afterwards each decode step
 * feeds the last generated token and emits one more, so {@code computed = input + generated - 1}.
 */
final class RequestState {
  final RequestSpec spec;
  final double arrivalNs;
  int computed;
  int generated;
  boolean prefilling = true;
  /** Blocks it holds: on the device, or on the host while {@code swapped}. */
  long blocks;
  /** Ids of its device blocks, in token order (the leading ones may be shared cached blocks). */
  final IntArrayList blockIds = new IntArrayList();
  /** With prefix caching: the content hash of each block it can fill, and how many are registered. */
  long[] blockHashes;
  int hashedBlocks;
  /** Prompt tokens found in the prefix cache over all its admissions (not prefilled). */
  int cachedTokens;
  boolean swapped;
  int preemptions;
  double firstTokenNs = Double.NaN;
  double lastTokenNs = Double.NaN;
  double maxGapNs;
  /** With Cache-Craft: what its current prefill computes of each prompt position (null otherwise). */
  ChunkPlan chunkPlan;
  /** The data-parallel node holding its KV, from its first admission on (-1 before). */
  int node = -1;
  /** KV positions scheduled for it in the current iteration (0 when not scheduled). */
  int scheduledTokens;

  RequestState(RequestSpec spec, double arrivalNs) {
    this.spec = spec;
    this.arrivalNs = arrivalNs;
  }

  /** Tokens the current prefill must bring into the KV: the prompt plus everything generated so far. */
  int prefillTarget() {
    return spec.inputTokens() + generated;
  }

  /** Tokens it wants this iteration before the budget is applied. */
  int wantedTokens() {
    return prefilling ? prefillTarget() - computed : 1;
  }

  boolean finished() {
    return generated == spec.outputTokens();
  }
}
