package io.duplexsim.workloads.compiler;

/**
 * One request's share of an iteration.
 *
 * @param requestId the serving engine's id
 * @param phase prefill (a prompt chunk) or decode (one new token, or k+1 when verifying speculation)
 * @param tokens tokens this request processes in this iteration
 * @param kvLength keys the new tokens attend, the new tokens included (context after this iteration)
 * @param layers how many of the model's first layers these tokens go through ({@link #ALL_LAYERS}: every
 *     one); fewer when a policy stops their computation early (Cache-Craft's early termination of
 *     recomputation: their KV in the later layers stays as cached, so those layers do no work for them)
 * @param node the data-parallel node whose devices hold the request's KV ({@link #ANY_NODE}: the compiler
 *     deals the batch's entries to nodes in turn, as for a single iteration compiled on its own)
 */
public record BatchEntry(long requestId, Phase phase, int tokens, int kvLength, int layers, int node) {
  /** Every layer of the model. */
  public static final int ALL_LAYERS = Integer.MAX_VALUE;
  /** No node assigned. */
  public static final int ANY_NODE = -1;

  public BatchEntry {
    if (phase == null || tokens <= 0 || kvLength < tokens || layers < 1 || node < ANY_NODE) {
      throw new IllegalArgumentException("batch entry of request " + requestId + ": phase, tokens > 0, kvLength"
          + " >= tokens, layers >= 1 and a node expected, got " + phase + ", " + tokens + ", " + kvLength + ", "
          + layers + ", " + node);
    }
  }

  /** An entry on no particular node. */
  public BatchEntry(long requestId, Phase phase, int tokens, int kvLength, int layers) {
    this(requestId, phase, tokens, kvLength, layers, ANY_NODE);
  }

  /** An entry whose tokens go through every layer, on no particular node. */
  public BatchEntry(long requestId, Phase phase, int tokens, int kvLength) {
    this(requestId, phase, tokens, kvLength, ALL_LAYERS);
  }

  /** The same entry on {@code node}. */
  public BatchEntry onNode(int node) {
    return new BatchEntry(requestId, phase, tokens, kvLength, layers, node);
  }

  /** Whether these tokens are computed in layer {@code layer} (from 0). */
  public boolean inLayer(int layer) {
    return layer < layers;
  }
}
