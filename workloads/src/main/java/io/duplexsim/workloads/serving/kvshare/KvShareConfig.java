package io.duplexsim.workloads.serving.kvshare;

import io.duplexsim.sim.InputException;

/**
 * KVShare's knobs (arXiv 2503.16525).
 *
 * @param recomputeRatio DHD's prefill stage: the top r of a request's reused tokens are recomputed with
 *     its prompt (the paper sweeps 10-40%)
 * @param decodeRecomputeTokens DHD's decode stage: reused tokens recomputed at every decode step, until
 *     none that the prefill left are left (3 in the paper)
 * @param cacheAwareScheduler whether waiting requests are admitted by hit rate, highest first, instead
 *     of first come, first served
 * @param cacheFraction share of the KV capacity set aside, in blocks, for the fragment store; the rest
 *     holds the running requests' KV. 0 stores nothing, so nothing is ever reused
 */
public record KvShareConfig(double recomputeRatio, int decodeRecomputeTokens, boolean cacheAwareScheduler,
    double cacheFraction) {
  /** The paper's default ratio is not stated as one figure; 20% is inside its 10-40% sweep. */
  public static final double DEFAULT_RECOMPUTE_RATIO = 0.2;
  /** "3 extra tokens per decode step" (KVShare, DHD's decode stage). */
  public static final int DEFAULT_DECODE_RECOMPUTE_TOKENS = 3;
  public static final double DEFAULT_CACHE_FRACTION = 0.2;

  public static final KvShareConfig DEFAULTS = new KvShareConfig(DEFAULT_RECOMPUTE_RATIO,
      DEFAULT_DECODE_RECOMPUTE_TOKENS, true, DEFAULT_CACHE_FRACTION);

  public KvShareConfig {
    if (!(recomputeRatio >= 0 && recomputeRatio <= 1)) {
      throw new InputException("kvshare-recompute-ratio must be in [0, 1], got " + recomputeRatio);
    }
    if (decodeRecomputeTokens < 0) {
      throw new InputException("kvshare-decode-recompute-tokens must be >= 0, got " + decodeRecomputeTokens);
    }
    if (!(cacheFraction >= 0 && cacheFraction < 1)) {
      throw new InputException("kvshare-cache-fraction must be in [0, 1), got " + cacheFraction);
    }
  }

  /**
   * Reused tokens DHD recomputes at prefill: ceil(r x reused). The product is taken a hair low so that
   * r's binary rounding (0.1 x 30 = 3.0000000000000004) does not add a token.
   */
  public int prefillRecompute(int reused) {
    return (int) Math.min(reused, Math.ceil(recomputeRatio * reused - 1e-9));
  }

  public KvShareConfig withRecomputeRatio(double v) {
    return new KvShareConfig(v, decodeRecomputeTokens, cacheAwareScheduler, cacheFraction);
  }

  public KvShareConfig withDecodeRecomputeTokens(int v) {
    return new KvShareConfig(recomputeRatio, v, cacheAwareScheduler, cacheFraction);
  }

  public KvShareConfig withCacheAwareScheduler(boolean v) {
    return new KvShareConfig(recomputeRatio, decodeRecomputeTokens, v, cacheFraction);
  }

  public KvShareConfig withCacheFraction(double v) {
    return new KvShareConfig(recomputeRatio, decodeRecomputeTokens, cacheAwareScheduler, v);
  }
}
