package io.duplexsim.workloads.serving.kvshare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * KVShare's cache-aware scheduler: the waiting queue is admitted by KV cache hit rate, highest first, so
 * requests that prefill least go first and cut the TTFT of those queued behind them. Requests resuming
 * after a preemption keep their place at the front (as the engine put them there); ties go to the
 * earlier request. The paper also batches similar requests together; that part is not modelled.
 */
final class CacheAwareScheduler {
  private CacheAwareScheduler() {}

  /** Resumed requests rank by their place in the queue, the others by hit rate and then id. */
  private record Ranked<T>(T item, boolean resumed, int place, double hitRate, long id) {}

  private static final Comparator<Ranked<?>> ORDER = (a, b) -> {
    if (a.resumed() != b.resumed()) {
      return a.resumed() ? -1 : 1;
    }
    if (a.resumed()) {
      return Integer.compare(a.place(), b.place());
    }
    int c = Double.compare(b.hitRate(), a.hitRate());
    return c != 0 ? c : Long.compare(a.id(), b.id());
  };

  /** Reorders {@code waiting} in place. */
  static <T> void order(Deque<T> waiting, ToDoubleFunction<T> hitRate, ToLongFunction<T> id, Predicate<T> resumed) {
    if (waiting.size() < 2) {
      return;
    }
    List<Ranked<T>> ranked = new ArrayList<>(waiting.size());
    for (T t : waiting) {
      boolean r = resumed.test(t);
      ranked.add(new Ranked<>(t, r, ranked.size(), r ? 0 : hitRate.applyAsDouble(t), id.applyAsLong(t)));
    }
    ranked.sort(ORDER);
    waiting.clear();
    for (Ranked<T> r : ranked) {
      waiting.addLast(r.item());
    }
  }
}
