package io.duplexsim.workloads.serving.disagg;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.ServingOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The prefill instance: runs only prompt chunks, scheduled as the colocated engine schedules them
 * (requests mid-prefill oldest first under the token budget, then admission in arrival order while
 * max-num-seqs, the budget and free blocks allow; chunked prefill or whole prompts). One whose chunk
 * needs a block when none is free preempts the newest request mid-prefill, which recomputes from the
 * start. A finished prefill keeps its KV here, {@link #held} in order, until the decode instance has
 * room and the transfer has completed: that is the backpressure, and held KV is never preempted.
 */
final class PrefillInstance extends ServingInstance {
  final ArrayDeque<DisaggRequest> waiting = new ArrayDeque<>();
  /** Prefills done, KV still here and not yet on the link, first done first. */
  final ArrayDeque<DisaggRequest> held = new ArrayDeque<>();
  long prefillTokens;

  PrefillInstance(ServingOptions options, KvCapacity capacity) {
    super(options, capacity);
  }

  /** The next iteration's batch, or null when nothing can run (no work, or every block held). */
  IterationBatch schedule() {
    scheduled.clear();
    entries.clear();
    preemptedThisIteration = 0;
    int budget = options.maxNumBatchedTokens();
    boolean selfPreempted = false;
    for (int i = 0; i < running.size() && budget > 0 && !selfPreempted; i++) {
      DisaggRequest r = running.get(i);
      int tokens = Math.min(r.spec.inputTokens() - r.computed, budget);
      long need = capacity.blocksFor(r.computed + tokens) - r.prefillBlocks;
      while (need > free()) {
        DisaggRequest victim = running.remove(running.size() - 1);
        preempt(victim);
        if (victim == r) {
          selfPreempted = true; // it was the newest: nothing after it to schedule
          break;
        }
      }
      if (!selfPreempted) {
        allocate(r, need);
        schedule(r, tokens);
        budget -= tokens;
      }
    }
    if (preemptedThisIteration == 0) {
      admit(budget);
    }
    return entries.isEmpty() ? null : new IterationBatch(entries);
  }

  private void admit(int budget) {
    while (!waiting.isEmpty() && running.size() < options.maxNumSeqs() && budget > 0) {
      DisaggRequest r = waiting.peekFirst();
      int wanted = r.spec.inputTokens() - r.computed;
      if (!options.enableChunkedPrefill() && wanted > budget) {
        return; // first come, first served: it waits for a fuller budget
      }
      int tokens = Math.min(wanted, budget);
      long need = capacity.blocksFor(r.computed + tokens) - r.prefillBlocks;
      if (need > free()) {
        return;
      }
      waiting.pollFirst();
      allocate(r, need);
      running.add(r);
      schedule(r, tokens);
      budget -= tokens;
    }
  }

  private void allocate(DisaggRequest r, long blocks) {
    used += blocks;
    r.prefillBlocks += blocks;
  }

  private void schedule(DisaggRequest r, int tokens) {
    r.scheduledTokens = tokens;
    scheduled.add(r);
    entries.add(new BatchEntry(r.spec.id(), Phase.PREFILL, tokens, r.computed + tokens));
  }

  private void preempt(DisaggRequest victim) {
    release(victim);
    victim.computed = 0;
    victim.preemptions++;
    preemptions++;
    preemptedThisIteration++;
    waiting.addFirst(victim);
  }

  /** Frees a request's prefill KV (a preemption, or its transfer has completed). */
  void release(DisaggRequest r) {
    used -= r.prefillBlocks;
    r.prefillBlocks = 0;
  }

  /** Applies the iteration at its end; returns the requests whose prompt is now complete (first token out). */
  List<DisaggRequest> complete() {
    List<DisaggRequest> done = new ArrayList<>();
    for (DisaggRequest r : scheduled) {
      r.computed += r.scheduledTokens;
      prefillTokens += r.scheduledTokens;
      r.scheduledTokens = 0;
      if (r.computed == r.spec.inputTokens()) {
        done.add(r);
      }
    }
    running.removeAll(done);
    scheduled.clear();
    return done;
  }
}
