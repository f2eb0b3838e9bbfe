package io.duplexsim.workloads.serving;

import io.duplexsim.sim.InputException;
import java.util.Locale;

/** What happens to a request whose KV blocks are taken back (vLLM's preemption modes). */
public enum PreemptionMode {
  /** Drop its KV; on resumption, prefill the prompt and every token generated so far again. */
  RECOMPUTE,
  /** Copy its KV blocks to host memory over the host link, and back on resumption. */
  SWAP;

  public static PreemptionMode parse(String text, String key) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InputException(key + ": '" + text + "' is not a preemption mode; expected recompute or swap");
    }
  }
}
