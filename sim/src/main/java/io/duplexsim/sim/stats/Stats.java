package io.duplexsim.sim.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named counters and histograms that components register once and then update through the returned
 * handle (no map look-up on the hot path). Registration order is kept, so every report walks the
 * same list in the same order.
 */
public final class Stats {
  private final Map<String, Counter> counters = new LinkedHashMap<>();
  private final Map<String, Histogram> histograms = new LinkedHashMap<>();

  public Counter counter(String name) {
    return counters.computeIfAbsent(name, n -> new Counter());
  }

  public Histogram histogram(String name) {
    return histograms.computeIfAbsent(name, n -> new Histogram());
  }

  public Map<String, Counter> counters() {
    return Collections.unmodifiableMap(counters);
  }

  public Map<String, Histogram> histograms() {
    return Collections.unmodifiableMap(histograms);
  }

  /** Value of a counter, 0 if it was never registered. */
  public long get(String name) {
    Counter c = counters.get(name);
    return c == null ? 0 : c.get();
  }

  /** Warm-up support: forget everything counted so far, keep the registrations. */
  public void reset() {
    counters.values().forEach(Counter::reset);
    histograms.values().forEach(Histogram::reset);
  }

  /** A mutable long counter. */
  public static final class Counter {
    private long value;

    public void increment() {
      value++;
    }

    public void add(long delta) {
      value += delta;
    }

    public long get() {
      return value;
    }

    void reset() {
      value = 0;
    }
  }
}
