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
 * The decode instance: runs only decode steps. A request's blocks for its prompt KV are reserved when
 * its transfer starts ({@link #canAccept}: room for them, a free max-num-seqs slot, nobody swapped out
 * waiting to come back); once the KV has arrived it is running and joins the next iteration. Each
 * iteration decodes the running requests oldest first (by arrival of their KV); one that needs a block when none is free swaps
 * the newest running request out to the host (a decode instance cannot recompute: it never runs a
 * prefill), and swapped requests come back, oldest first, when blocks allow and nobody was swapped out
 * in this iteration. Swap traffic moves
 * over the host link at swap-bandwidth-GBps and adds to the iteration's time, as in colocated serving.
 */
final class DecodeInstance extends ServingInstance {
  final ArrayDeque<DisaggRequest> swapped = new ArrayDeque<>();
  /** Requests with blocks reserved whose KV is still on the link. */
  int inbound;
  double swapBytes;

  DecodeInstance(ServingOptions options, KvCapacity capacity) {
    super(options, capacity);
  }

  /** Whether a request whose KV fills {@code blocks} blocks may start its transfer now. */
  boolean canAccept(long blocks) {
    return swapped.isEmpty() && running.size() + inbound < options.maxNumSeqs() && blocks <= free();
  }

  /** Reserves the blocks a transfer writes into. */
  void reserve(DisaggRequest r, long blocks) {
    used += blocks;
    r.decodeBlocks = blocks;
    inbound++;
  }

  /** The next iteration's batch, or null when nothing can run. */
  IterationBatch schedule() {
    scheduled.clear();
    entries.clear();
    swapBytes = 0;
    preemptedThisIteration = 0;
    int budget = options.maxNumBatchedTokens();
    for (int i = 0; i < running.size() && budget > 0; i++) {
      DisaggRequest r = running.get(i);
      long need = capacity.blocksFor(r.computed + 1) - r.decodeBlocks;
      boolean self = false;
      while (need > free()) {
        DisaggRequest victim = running.remove(running.size() - 1);
        swapOut(victim);
        if (victim == r) {
          self = true;
          break;
        }
      }
      if (self) {
        break; // it was the newest: nothing after it to schedule
      }
      allocate(r, need);
      schedule(r);
      budget--;
    }
    if (preemptedThisIteration == 0) {
      while (!swapped.isEmpty() && budget > 0 && running.size() < options.maxNumSeqs()) {
        DisaggRequest r = swapped.peekFirst();
        long need = capacity.blocksFor(r.computed + 1);
        if (need > free()) {
          break;
        }
        swapped.pollFirst();
        swapBytes += r.decodeBlocks * capacity.bytesPerBlockPerDevice();
        r.swapped = false;
        r.decodeBlocks = 0;
        allocate(r, need);
        running.add(r);
        schedule(r);
        budget--;
      }
    }
    return entries.isEmpty() ? null : new IterationBatch(entries);
  }

  private void allocate(DisaggRequest r, long blocks) {
    used += blocks;
    r.decodeBlocks += blocks;
  }

  private void schedule(DisaggRequest r) {
    r.scheduledTokens = 1;
    scheduled.add(r);
    entries.add(new BatchEntry(r.spec.id(), Phase.DECODE, 1, r.computed + 1));
  }

  private void swapOut(DisaggRequest victim) {
    used -= victim.decodeBlocks;
    swapBytes += victim.decodeBlocks * capacity.bytesPerBlockPerDevice();
    victim.swapped = true; // keeps its block count, now on the host
    victim.preemptions++;
    preemptions++;
    preemptedThisIteration++;
    swapped.addFirst(victim);
  }

  /**
   * A transfer has completed: the request joins the running requests (newest), so that the next
   * iteration decodes it; like any running request it may then be swapped out for blocks.
   */
  void arrive(DisaggRequest r) {
    inbound--;
    running.add(r);
  }

  /** Frees a finished request's blocks. */
  void release(DisaggRequest r) {
    used -= r.decodeBlocks;
    r.decodeBlocks = 0;
  }

  /** Applies the iteration at its end: each scheduled request has one more token; returns them. */
  List<DisaggRequest> complete() {
    List<DisaggRequest> out = new ArrayList<>(scheduled);
    for (DisaggRequest r : out) {
      r.computed += r.scheduledTokens;
      r.generated++;
      r.scheduledTokens = 0;
    }
    scheduled.clear();
    return out;
  }
}
