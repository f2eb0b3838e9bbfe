package io.duplexsim.workloads.serving;

import io.duplexsim.sim.InputException;

/**
 * The serving engine's knobs, named as vLLM names them (errors use vLLM's flag spelling).
 *
 * @param maxNumSeqs most requests running at once (a batch never holds more)
 * @param maxNumBatchedTokens token budget of one iteration: prefill chunk tokens plus one per decode
 * @param blockSize tokens per paged KV block
 * @param gpuMemoryUtilization fraction of device memory the engine may use for weights, activations and KV
 * @param enableChunkedPrefill whether a prompt may be split over iterations under the token budget;
 *     without it a prompt is scheduled whole or waits (decodes still share its iteration)
 * @param preemptionMode what a preempted request loses
 * @param swapBandwidthGBps host link bandwidth per device for swapping KV blocks
 * @param enablePrefixCaching whether full KV blocks are kept, by content hash, after their request frees
 *     them and reused by later requests with the same leading tokens (vLLM's automatic prefix caching)
 */
public record ServingOptions(int maxNumSeqs, int maxNumBatchedTokens, int blockSize, double gpuMemoryUtilization,
    boolean enableChunkedPrefill, PreemptionMode preemptionMode, double swapBandwidthGBps,
    boolean enablePrefixCaching) {

  /** PCIe 4.0 x16, the host link policies.md gives (Cache-Craft's storage tiers). */
  public static final double PCIE4_X16_GBPS = 64;

  /**
   * vLLM's defaults: 256 sequences, 16-token blocks, 0.9 utilisation, chunked prefill on and recompute
   * (V1); a 2048-token budget, the V1 default for online serving. Prefix caching off, so that it is the
   * policy under study rather than part of every baseline (V1 turns it on by default).
   */
  public static final ServingOptions DEFAULTS =
      new ServingOptions(256, 2048, 16, 0.9, true, PreemptionMode.RECOMPUTE, PCIE4_X16_GBPS, false);

  public ServingOptions {
    if (maxNumSeqs < 1) {
      throw new InputException("max-num-seqs must be >= 1, got " + maxNumSeqs);
    }
    if (maxNumBatchedTokens < 1) {
      throw new InputException("max-num-batched-tokens must be >= 1, got " + maxNumBatchedTokens);
    }
    if (maxNumBatchedTokens < maxNumSeqs) {
      // as vLLM checks: otherwise a full batch of decodes could not all run in one iteration
      throw new InputException("max-num-batched-tokens (" + maxNumBatchedTokens + ") must be >= max-num-seqs ("
          + maxNumSeqs + ")");
    }
    if (blockSize < 1) {
      throw new InputException("block-size must be >= 1, got " + blockSize);
    }
    if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
      throw new InputException("gpu-memory-utilization must be in (0, 1], got " + gpuMemoryUtilization);
    }
    if (preemptionMode == null) {
      throw new InputException("preemption-mode must be recompute or swap");
    }
    if (!(swapBandwidthGBps > 0) || Double.isInfinite(swapBandwidthGBps)) {
      throw new InputException("swap-bandwidth-GBps must be a positive number, got " + swapBandwidthGBps);
    }
  }

  public ServingOptions withMaxNumSeqs(int v) {
    return new ServingOptions(v, maxNumBatchedTokens, blockSize, gpuMemoryUtilization, enableChunkedPrefill,
        preemptionMode, swapBandwidthGBps, enablePrefixCaching);
  }

  public ServingOptions withMaxNumBatchedTokens(int v) {
    return new ServingOptions(maxNumSeqs, v, blockSize, gpuMemoryUtilization, enableChunkedPrefill,
        preemptionMode, swapBandwidthGBps, enablePrefixCaching);
  }

  public ServingOptions withBlockSize(int v) {
    return new ServingOptions(maxNumSeqs, maxNumBatchedTokens, v, gpuMemoryUtilization, enableChunkedPrefill,
        preemptionMode, swapBandwidthGBps, enablePrefixCaching);
  }

  public ServingOptions withGpuMemoryUtilization(double v) {
    return new ServingOptions(maxNumSeqs, maxNumBatchedTokens, blockSize, v, enableChunkedPrefill,
        preemptionMode, swapBandwidthGBps, enablePrefixCaching);
  }

  public ServingOptions withEnableChunkedPrefill(boolean v) {
    return new ServingOptions(maxNumSeqs, maxNumBatchedTokens, blockSize, gpuMemoryUtilization, v,
        preemptionMode, swapBandwidthGBps, enablePrefixCaching);
  }

  public ServingOptions withPreemptionMode(PreemptionMode v) {
    return new ServingOptions(maxNumSeqs, maxNumBatchedTokens, blockSize, gpuMemoryUtilization,
        enableChunkedPrefill, v, swapBandwidthGBps, enablePrefixCaching);
  }

  public ServingOptions withSwapBandwidthGBps(double v) {
    return new ServingOptions(maxNumSeqs, maxNumBatchedTokens, blockSize, gpuMemoryUtilization,
        enableChunkedPrefill, preemptionMode, v, enablePrefixCaching);
  }

  public ServingOptions withEnablePrefixCaching(boolean v) {
    return new ServingOptions(maxNumSeqs, maxNumBatchedTokens, blockSize, gpuMemoryUtilization,
        enableChunkedPrefill, preemptionMode, swapBandwidthGBps, v);
  }
}
