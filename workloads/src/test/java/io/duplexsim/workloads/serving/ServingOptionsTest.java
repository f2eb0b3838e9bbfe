package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplexsim.sim.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ServingOptionsTest {
  private static final ServingOptions D = ServingOptions.DEFAULTS;

  private static void rejects(String message, Executable e) {
    assertEquals(message, assertThrows(InputException.class, e).getMessage());
  }

  @Test
  void eachBadKnobIsNamedAsVllmNamesIt() {
    rejects("max-num-seqs must be >= 1, got 0", () -> D.withMaxNumSeqs(0));
    rejects("max-num-batched-tokens must be >= 1, got 0", () -> D.withMaxNumBatchedTokens(0));
    rejects("max-num-batched-tokens (100) must be >= max-num-seqs (256)", () -> D.withMaxNumBatchedTokens(100));
    rejects("block-size must be >= 1, got 0", () -> D.withBlockSize(0));
    rejects("gpu-memory-utilization must be in (0, 1], got 1.5", () -> D.withGpuMemoryUtilization(1.5));
    rejects("gpu-memory-utilization must be in (0, 1], got NaN", () -> D.withGpuMemoryUtilization(Double.NaN));
    rejects("preemption-mode must be recompute or swap", () -> D.withPreemptionMode(null));
    rejects("swap-bandwidth-GBps must be a positive number, got 0.0", () -> D.withSwapBandwidthGBps(0));
    rejects("preemption-mode: 'evict' is not a preemption mode; expected recompute or swap",
        () -> PreemptionMode.parse("evict", "preemption-mode"));
  }

  @Test
  void preemptionModesParseInAnyCase() {
    assertEquals(PreemptionMode.SWAP, PreemptionMode.parse("Swap", "preemption-mode"));
    assertEquals(PreemptionMode.RECOMPUTE, PreemptionMode.parse("recompute", "preemption-mode"));
  }
}
