package io.duplexsim.sim;

/**
 * A clocked part of the model. The scheduler calls {@link #tick} on cycles of the component's
 * domain; the component answers with the earliest future cycle at which it could change state by
 * itself (a timing constraint expiring, data arriving), or {@link #NEVER}. Anything that changes a
 * component's state from outside (a request arriving) must call {@link Scheduler#wake}.
 *
 * <p>Contract that makes fast-forward exact: a tick on a cycle before the returned one, with no
 * wake in between, changes nothing. Statistics must therefore be derived from event times, never
 * from counting ticks.
 */
public interface Component {
  long NEVER = Long.MAX_VALUE;

  /**
   * Advance to {@code cycle} (of this component's domain) and do that cycle's work.
   *
   * @return the next cycle at which this component needs a tick, greater than {@code cycle}, or
   *     {@link #NEVER}
   */
  long tick(long cycle);
}
