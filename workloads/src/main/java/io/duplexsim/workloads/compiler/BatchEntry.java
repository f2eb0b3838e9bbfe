package io.duplexsim.workloads.compiler;

/**
 * One request's share of an iteration.
 *
 * @param requestId the serving engine's id
 * @param phase prefill (a prompt chunk) or decode (one new token, or k+1 when verifying speculation)
 * @param tokens tokens this request processes in this iteration
 * @param kvLength keys the new tokens attend, the new tokens included (context after this iteration)
 */
public record BatchEntry(long requestId, Phase phase, int tokens, int kvLength) {
  public BatchEntry {
    if (phase == null || tokens <= 0 || kvLength < tokens) {
      throw new IllegalArgumentException("batch entry of request " + requestId + ": phase, tokens > 0 and kvLength"
          + " >= tokens expected, got " + phase + ", " + tokens + ", " + kvLength);
    }
  }
}
