package io.duplexsim.workloads.compiler;

/** What part of the model an instruction belongs to, for the FC / attention / MoE energy and time split. */
public enum OpCategory {
  FC,
  ATTENTION,
  MOE,
  COMMUNICATION,
  OTHER
}
