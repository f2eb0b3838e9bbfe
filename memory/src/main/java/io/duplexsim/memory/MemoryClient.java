package io.duplexsim.memory;

/**
 * Something that issues memory requests and waits for their data (a trace injector, a DMA engine,
 * a PIM unit). When a request's access command issues, its completion cycle is fixed by the DRAM
 * timing; the controller reports it then, and the client must not use the data before that cycle
 * (it typically wakes itself there).
 */
public interface MemoryClient {
  /**
   * @param tag the tag given at submission
   * @param completionCycle command-clock cycle at which the data has arrived (read) or been written
   */
  void onComplete(long tag, long completionCycle);

  /** A client that needs no notification. */
  MemoryClient NONE = (tag, cycle) -> {};
}
