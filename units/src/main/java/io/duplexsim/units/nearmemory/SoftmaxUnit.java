package io.duplexsim.units.nearmemory;

import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;
import java.util.ArrayDeque;

/**
 * One stack's softmax unit, shared by the stack's modules: jobs (a pair's g x L scores, or a row)
 * queue in arrival order (ties: the order the modules ticked) and are processed one at a time at
 * {@link SoftmaxUnitConfig#elementsPerCycle()}, so modules that finish their scores together wait
 * for each other here. A job's owner hears when it is done.
 */
final class SoftmaxUnit implements Component {
  /** Hears that a job finished at {@code tick} (common time base). */
  interface Done {
    void softmaxDone(long tick);
  }

  private record Job(long elements, Done done) {}

  private final SoftmaxUnitConfig config;
  private final ClockDomain clock;
  private final Scheduler scheduler;
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private int id;
  private Job current;
  private long busyUntil;
  private long busyCycles;
  private long elements;
  private long lastDone;

  SoftmaxUnit(SoftmaxUnitConfig config, ClockDomain clock, Scheduler scheduler) {
    this.config = config;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  void attach(int componentId) {
    this.id = componentId;
  }

  /** Queues the softmax of {@code n} elements whose scores are complete at {@code tick}. */
  void submit(long n, long tick, Done done) {
    queue.add(new Job(n, done));
    scheduler.wakeAtTick(id, tick);
  }

  @Override
  public long tick(long now) {
    if (current != null && busyUntil <= now) {
      Job j = current;
      current = null;
      lastDone = busyUntil;
      j.done().softmaxDone(clock.tickOf(busyUntil));
    }
    if (current == null && !queue.isEmpty()) {
      current = queue.poll();
      long cycles = Math.max(1, (current.elements() + config.elementsPerCycle() - 1) / config.elementsPerCycle());
      busyUntil = now + cycles;
      busyCycles += cycles;
      elements += current.elements();
    }
    return current == null ? NEVER : busyUntil;
  }

  long busyCycles() {
    return busyCycles;
  }

  long elements() {
    return elements;
  }

  /** Cycle the last finished job ended (0 if none). */
  long lastDone() {
    return lastDone;
  }

  ClockDomain clock() {
    return clock;
  }
}
