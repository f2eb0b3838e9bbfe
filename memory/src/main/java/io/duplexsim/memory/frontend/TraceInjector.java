package io.duplexsim.memory.frontend;

import io.duplexsim.memory.MemoryClient;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;

/**
 * Feeds a request trace into the memory system in order: each request at its issue cycle if the
 * trace gives one, otherwise as soon as its controller accepts it. A full queue blocks the requests
 * behind it (in-order injection, as Ramulator's LoadStore front end), and the controller wakes the
 * injector when space frees. Stops the scheduler when the last request's access has issued.
 */
public final class TraceInjector implements Component, MemoryClient {
  private final RequestTrace trace;
  private MemorySystem memory;
  private final Scheduler scheduler;
  private int id = -1;
  private int next;
  private long accessesIssued;

  public TraceInjector(RequestTrace trace, MemorySystem memory, Scheduler scheduler) {
    this.trace = trace;
    this.memory = memory;
    this.scheduler = scheduler;
  }

  /** Connects the memory system (built after the injector so that the injector ticks first). */
  public void bind(MemorySystem memory) {
    this.memory = memory;
  }

  public void attach(int componentId) {
    this.id = componentId;
  }

  @Override
  public long tick(long cycle) {
    int n = trace.size();
    while (next < n) {
      long at = trace.issueCycle(next);
      if (at > cycle) {
        return at;
      }
      if (!memory.submit(trace.address(next), trace.type(next), next, this, cycle, id)) {
        return NEVER;
      }
      next++;
    }
    return NEVER;
  }

  @Override
  public void onComplete(long tag, long completionCycle) {
    if (++accessesIssued == trace.size()) {
      scheduler.stop();
    }
  }

  public int injected() {
    return next;
  }
}
