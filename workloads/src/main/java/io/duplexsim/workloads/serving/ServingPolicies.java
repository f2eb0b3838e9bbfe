package io.duplexsim.workloads.serving;

import io.duplexsim.workloads.serving.cachecraft.CacheCraft;
import io.duplexsim.workloads.serving.kvshare.KvShareConfig;
import io.duplexsim.workloads.serving.speculative.SpeculativeDecoding;

/**
 * The policies a serving run uses on top of continuous batching (and vLLM's prefix caching, which is a
 * {@link ServingOptions} knob). {@link #NONE} is the plain engine.
 *
 * @param kvShare KVShare's fragment reuse, or null when off (full KV recomputation)
 * @param loops a recursive model's loops over iterations, or {@link LoopTracker#NONE}
 * @param cacheCraft Cache-Craft's chunk-caches for one run (stateful: a fresh one per run), or null
 * @param speculation speculative decoding for one run (stateful), or null
 */
public record ServingPolicies(KvShareConfig kvShare, LoopTracker loops, CacheCraft cacheCraft,
    SpeculativeDecoding speculation) {
  public static final ServingPolicies NONE = new ServingPolicies(null, LoopTracker.NONE, null, null);

  public ServingPolicies {
    loops = loops == null ? LoopTracker.NONE : loops;
  }

  public ServingPolicies withKvShare(KvShareConfig c) {
    return new ServingPolicies(c, loops, cacheCraft, speculation);
  }

  public ServingPolicies withLoops(LoopTracker l) {
    return new ServingPolicies(kvShare, l, cacheCraft, speculation);
  }

  public ServingPolicies withCacheCraft(CacheCraft c) {
    return new ServingPolicies(kvShare, loops, c, speculation);
  }

  public ServingPolicies withSpeculation(SpeculativeDecoding d) {
    return new ServingPolicies(kvShare, loops, cacheCraft, d);
  }
}
