package io.duplexsim.workloads.compiler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one model iteration processes: every scheduled request's tokens and context. Its sums are plain
 * loops: the engine and compiler take them every iteration, and stream pipelines there made the JIT
 * recompile their callers (megamorphic lambdas).
 */
public record IterationBatch(List<BatchEntry> entries) {
  public IterationBatch {
    // always one list class (List.copyOf, which also refuses nulls, gives one class for one or two entries
    // and another beyond): the sums below run inlined in the engine's and compiler's hot loops, where a
    // second class made the JIT recompile them
    entries = Collections.unmodifiableList(new ArrayList<>(List.copyOf(entries)));
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("an iteration needs at least one request");
    }
  }

  public int tokens() {
    return tokensOf(entries);
  }

  /** The tokens of {@code entries}, all phases. */
  static int tokensOf(List<BatchEntry> entries) {
    int sum = 0;
    for (BatchEntry e : entries) {
      sum += e.tokens();
    }
    return sum;
  }

  /** Tokens computed in layer {@code layer} (from 0): all but those of entries stopped before it. */
  public int tokensInLayer(int layer) {
    int sum = 0;
    for (BatchEntry e : entries) {
      sum += e.inLayer(layer) ? e.tokens() : 0;
    }
    return sum;
  }

  public int tokens(Phase phase) {
    int sum = 0;
    for (BatchEntry e : entries) {
      sum += e.phase() == phase ? e.tokens() : 0;
    }
    return sum;
  }

  public long requests(Phase phase) {
    long n = 0;
    for (BatchEntry e : entries) {
      n += e.phase() == phase ? 1 : 0;
    }
    return n;
  }

  /** Whether prefill and decode share this iteration (a mixed stage). */
  public boolean mixed() {
    return requests(Phase.PREFILL) > 0 && requests(Phase.DECODE) > 0;
  }
}
