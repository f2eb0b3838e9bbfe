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
 */
public record BatchEntry(long requestId, Phase phase, int tokens, int kvLength, int layers) {
  /** Every layer of the model. */
  public static final int ALL_LAYERS = Integer.MAX_VALUE;

  public BatchEntry {
    if (phase == null || tokens <= 0 || kvLength < tokens || layers < 1) {
      throw new IllegalArgumentException("batch entry of request " + requestId + ": phase, tokens > 0, kvLength"
          + " >= tokens and layers >= 1 expected, got " + phase + ", " + tokens + ", " + kvLength + ", " + layers);
    }
  }

  /** An entry whose tokens go through every layer. */
  public BatchEntry(long requestId, Phase phase, int tokens, int kvLength) {
    this(requestId, phase, tokens, kvLength, ALL_LAYERS);
  }

  /** Whether these tokens are computed in layer {@code layer} (from 0). */
  public boolean inLayer(int layer) {
    return layer < layers;
  }
}
