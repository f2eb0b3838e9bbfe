package io.duplexsim.workloads.serving.disagg;

import io.duplexsim.workloads.serving.requests.RequestSpec;

/**
 * A request in a disaggregated system. On the prefill instance its KV grows to the prompt
 * ({@code computed = input}) and the last chunk emits the first token; the KV then waits there until the
 * decode instance has room, crosses the link, and each decode step adds one token
 * ({@code computed = input + generated - 1}, as in colocated serving).
 */
final class DisaggRequest {
  final RequestSpec spec;
  final double arrivalNs;
  int computed;
  int generated;
  /** Tokens scheduled for it in its instance's current iteration (0 when not scheduled). */
  int scheduledTokens;
  /** KV blocks it holds on the prefill instance (until its transfer has completed). */
  long prefillBlocks;
  /** KV blocks it holds (or has reserved) on the decode instance; on the host while {@code swapped}. */
  long decodeBlocks;
  boolean swapped;
  int preemptions;
  double firstTokenNs = Double.NaN;
  double lastTokenNs = Double.NaN;
  double maxGapNs;

  DisaggRequest(RequestSpec spec, double arrivalNs) {
    this.spec = spec;
    this.arrivalNs = arrivalNs;
  }

  boolean finished() {
    return generated == spec.outputTokens();
  }
}
