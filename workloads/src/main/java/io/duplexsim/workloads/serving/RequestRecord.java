package io.duplexsim.workloads.serving;

/**
 * How one request was served (times in ns from the start of the run).
 *
 * @param firstTokenNs when its first output token came out (the end of the iteration finishing its prefill)
 * @param finishNs when its last output token came out
 * @param maxTbtNs its longest gap between consecutive output tokens (0 with one output token)
 * @param preemptions how often it lost its KV blocks
 * @param cachedTokens tokens its prefills found in the prefix cache instead of computing them
 */
public record RequestRecord(long id, double arrivalNs, int inputTokens, int outputTokens, double firstTokenNs,
    double finishNs, double maxTbtNs, int preemptions, int cachedTokens) {

  public double ttftNs() {
    return firstTokenNs - arrivalNs;
  }

  public double e2eNs() {
    return finishNs - arrivalNs;
  }

  /** Mean gap between its output tokens (0 with one output token). */
  public double meanTbtNs() {
    return outputTokens > 1 ? (finishNs - firstTokenNs) / (outputTokens - 1) : 0;
  }
}
