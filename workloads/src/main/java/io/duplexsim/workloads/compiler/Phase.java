package io.duplexsim.workloads.compiler;

/** Where a request is in its life: computing its prompt, or generating one token at a time. */
public enum Phase {
  PREFILL,
  DECODE
}
