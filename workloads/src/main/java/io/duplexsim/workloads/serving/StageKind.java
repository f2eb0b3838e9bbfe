package io.duplexsim.workloads.serving;

import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;

/** What an iteration computes, in the Duplex paper's terms: prefill only, mixed, or decode only. */
public enum StageKind {
  PREFILL_ONLY("prefill-only"),
  MIXED("mixed"),
  DECODE_ONLY("decode-only");

  private final String label;

  StageKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static StageKind of(IterationBatch batch) {
    if (batch.mixed()) {
      return MIXED;
    }
    return batch.requests(Phase.PREFILL) > 0 ? PREFILL_ONLY : DECODE_ONLY;
  }
}
