package io.duplexsim.workloads.serving;

import io.duplexsim.workloads.serving.kvshare.KvShareConfig;

/**
 * The policies a serving run uses on top of continuous batching (and vLLM's prefix caching, which is a
 * {@link ServingOptions} knob). {@link #NONE} is the plain engine.
 *
 * @param kvShare KVShare's fragment reuse, or null when off (full KV recomputation)
 * @param loops a recursive model's loops over iterations, or {@link LoopTracker#NONE}
 */
public record ServingPolicies(KvShareConfig kvShare, LoopTracker loops) {
  public static final ServingPolicies NONE = new ServingPolicies(null, LoopTracker.NONE);

  public ServingPolicies {
    loops = loops == null ? LoopTracker.NONE : loops;
  }

  public ServingPolicies withKvShare(KvShareConfig c) {
    return new ServingPolicies(c, loops);
  }

  public ServingPolicies withLoops(LoopTracker l) {
    return new ServingPolicies(kvShare, l);
  }
}
