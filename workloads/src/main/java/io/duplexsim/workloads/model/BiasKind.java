package io.duplexsim.workloads.model;

/** Which linear layers carry a bias vector: none (LLaMA), Q/K/V only (Qwen2), or all (OPT). */
public enum BiasKind {
  NONE,
  QKV,
  ALL
}
