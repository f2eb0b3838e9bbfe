package io.duplexsim.isa;

/** Inter-device communication: tensor-parallel all-reduce, MoE all-to-all, pipeline send/recv. */
public enum CollectiveKind {
  ALL_REDUCE,
  ALL_TO_ALL,
  SEND,
  RECV
}
