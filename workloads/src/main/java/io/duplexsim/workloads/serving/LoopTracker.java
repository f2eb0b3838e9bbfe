package io.duplexsim.workloads.serving;

import java.util.Map;

/**
 * Where each request's tokens are in a model whose pass may take several iterations: a recursive model
 * served with continuous depth-wise batching, where a scheduled entry advances one loop per iteration and
 * produces its token only when it leaves the model (after the last loop, or an early exit). The engine asks
 * it three things and tells it one; {@link #NONE} is the ordinary model, every pass one iteration.
 */
public interface LoopTracker {
  /** Every scheduled entry passes through the whole model in its iteration. */
  LoopTracker NONE = new LoopTracker() {
    @Override
    public int tokensInFlight(long requestId) {
      return 0;
    }

    @Override
    public boolean passDone(long requestId) {
      return true;
    }

    @Override
    public void preempted(long requestId) {}

    @Override
    public void addMetrics(Map<String, Object> metrics) {}
  };

  /**
   * Tokens of a request's entry that is part-way through the loops (it must be scheduled with exactly
   * these, even past the iteration's token budget: its earlier loops are done); 0 when none.
   */
  int tokensInFlight(long requestId);

  /** After an iteration: whether the request's entry in it left the model (else it goes one loop deeper). */
  boolean passDone(long requestId);

  /** The request lost its KV (or moved it to the host): its entry in flight, if any, starts over. */
  void preempted(long requestId);

  /** At the end of the run: the policy's metrics, snake_case keys. */
  void addMetrics(Map<String, Object> metrics);
}
