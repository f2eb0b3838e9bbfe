package io.duplexsim.memory;

import io.duplexsim.memory.frontend.RequestTrace;

/** Runs a request trace through a memory system until the last request completes. */
public final class MemorySimulation {
  private MemorySimulation() {}

  public static MemoryResult run(MemoryConfig config, RequestTrace trace) {
    throw new UnsupportedOperationException("being written");
  }
}
