package io.duplexsim.workloads.compiler;

import java.util.List;

/** What one model iteration processes: every scheduled request's tokens and context. */
public record IterationBatch(List<BatchEntry> entries) {
  public IterationBatch {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("an iteration needs at least one request");
    }
  }

  public int tokens() {
    return entries.stream().mapToInt(BatchEntry::tokens).sum();
  }

  /** Tokens computed in layer {@code layer} (from 0): all but those of entries stopped before it. */
  public int tokensInLayer(int layer) {
    return entries.stream().filter(e -> e.inLayer(layer)).mapToInt(BatchEntry::tokens).sum();
  }

  public int tokens(Phase phase) {
    return entries.stream().filter(e -> e.phase() == phase).mapToInt(BatchEntry::tokens).sum();
  }

  public long requests(Phase phase) {
    return entries.stream().filter(e -> e.phase() == phase).count();
  }

  /** Whether prefill and decode share this iteration (a mixed stage). */
  public boolean mixed() {
    return requests(Phase.PREFILL) > 0 && requests(Phase.DECODE) > 0;
  }
}
