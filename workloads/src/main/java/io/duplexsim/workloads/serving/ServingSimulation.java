package io.duplexsim.workloads.serving;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.cachecraft.CacheCraft;
import io.duplexsim.workloads.serving.kvshare.KvShare;
import io.duplexsim.workloads.serving.requests.RequestSource;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import io.duplexsim.workloads.serving.speculative.SpeculativeDecoding;
import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Continuous batching with iteration-level scheduling (Orca, vLLM V1's unified scheduler) on one
 * replica. Each iteration:
 * <ol>
 *   <li>requests that have arrived join the waiting queue (closed loop: finished ones are replaced);
 *   <li>running requests, oldest first, get their next decode token or prefill chunk while the token
 *       budget lasts; one that needs a KV block when none is free preempts the newest running request
 *       (itself, if it is the newest), which goes back to the front of the waiting queue;
 *   <li>unless someone was preempted, waiting requests are admitted in order while max-num-seqs, the
 *       budget and free blocks allow (a swapped-out one is swapped back in); with prefix caching, one
 *       starting a prefill first takes its longest run of cached leading blocks and prefills only the rest;
 *   <li>the batch - prefill chunks and decodes together, a true mixed stage - is priced by the
 *       {@link IterationModel}, plus any swap traffic over the host link, and time advances by that.
 * </ol>
 * Tokens come out at the end of the iteration that computed them; with prefix caching, the blocks they
 * filled are registered in the cache then. The run ends when the workload is
 * exhausted and every request has finished.
 */
public final class ServingSimulation {
  private final ServingOptions options;
  private final RequestSource source;
  private final IterationModel model;
  private final KvCapacity capacity;
  /** Each data-parallel node's KV blocks: a request's blocks come from the node it is placed on. */
  private final KvBlockPool[] pools;
  /** The most blocks in use at once over all nodes (with one node, its pool's own peak). */
  private long peakBlocks;
  private final LoopTracker loops;
  /** Cache-Craft's chunk-caches, or null. */
  private final CacheCraft cacheCraft;

  private final ArrayDeque<RequestState> waiting = new ArrayDeque<>();
  private final List<RequestState> running = new ArrayList<>();
  private final List<RequestState> scheduled = new ArrayList<>();
  private final List<BatchEntry> entries = new ArrayList<>();
  private final List<RequestRecord> finished = new ArrayList<>();
  private final DoubleArrayList ttfts = new DoubleArrayList();
  private final DoubleArrayList tbts = new DoubleArrayList();
  private final DoubleArrayList e2es = new DoubleArrayList();
  private final Map<String, Double> energyPj = new TreeMap<>();
  private final Map<String, Double> busyNs = new TreeMap<>();
  private final Map<StageKind, Long> stages = new EnumMap<>(StageKind.class);
  private final IterationLog log;
  /** Speculative decoding, or null when off; {@code specK} is its proposal length this iteration. */
  private final SpeculativeDecoding speculation;
  private int specK;

  private double clockNs;
  private long generated;
  private long preemptions;
  private int inSystem;
  private double swapBytes;
  private int preemptedThisIteration;
  private long prefillTokens;
  private long cacheQueryTokens;
  private long cacheHitTokens;
  private final IntArrayList hits = new IntArrayList();
  /** Metrics the policies in use add to the result, in the order they print. */
  private final Map<String, Object> policyMetrics = new LinkedHashMap<>();
  /** KVShare's fragment reuse, or null. */
  private final KvShare kvShare;

  private ServingSimulation(ServingOptions options, RequestSource source, IterationModel model, KvCapacity capacity,
      ServingPolicies policies) {
    CacheCraft cacheCraft = policies.cacheCraft();
    if (cacheCraft != null && (options.enablePrefixCaching() || policies.kvShare() != null)) {
      throw new InputException("cache-craft, enable-prefix-caching and kvshare are alternatives: turn all but one off");
    }
    if (cacheCraft != null) {
      capacity = cacheCraft.engineCapacity(capacity); // less the HBM slice for chunk-caches
    }
    this.cacheCraft = cacheCraft;
    this.kvShare = policies.kvShare() == null ? null : new KvShare(policies.kvShare(), options, capacity);
    capacity = kvShare == null ? capacity : kvShare.requestCapacity(); // less its fragment store
    if (capacity.blockSize() != options.blockSize()) {
      throw new InputException("block-size is " + options.blockSize() + " but the KV capacity was sized for blocks of "
          + capacity.blockSize() + " tokens");
    }
    this.options = options;
    this.source = source;
    this.model = model;
    this.capacity = capacity;
    this.pools = new KvBlockPool[capacity.nodes()];
    for (int n = 0; n < pools.length; n++) {
      pools[n] = new KvBlockPool(capacity.nodeBlocks(n));
    }
    this.log = new IterationLog(capacity.blocks());
    this.loops = policies.loops();
    this.speculation = policies.speculation();
  }

  /** Serves the whole workload and returns its metrics. */
  public static ServingResult run(ServingOptions options, RequestSource source, IterationModel model,
      KvCapacity capacity) {
    return run(options, source, model, capacity, ServingPolicies.NONE);
  }

  /** As above, with the serving policies in {@code policies}. */
  public static ServingResult run(ServingOptions options, RequestSource source, IterationModel model,
      KvCapacity capacity, ServingPolicies policies) {
    return run(options, source, model, capacity, policies, ServingProgress.NONE);
  }

  /** As above, telling {@code progress} how far the run has got after every iteration. */
  public static ServingResult run(ServingOptions options, RequestSource source, IterationModel model,
      KvCapacity capacity, ServingPolicies policies, ServingProgress progress) {
    return new ServingSimulation(options, source, model, capacity, policies).serve(progress);
  }

  private ServingResult serve(ServingProgress progress) {
    boolean closed = source.concurrency() > 0;
    RequestSpec nextArrival = closed ? null : source.next();
    while (true) {
      if (closed) {
        RequestSpec s;
        while (inSystem < source.concurrency() && (s = source.next()) != null) {
          enter(s, clockNs); // a closed loop's replacement arrives when the iteration that freed its slot ends
        }
      } else {
        while (nextArrival != null && nextArrival.arrivalNs() <= clockNs) {
          enter(nextArrival, nextArrival.arrivalNs());
          nextArrival = source.next();
        }
      }
      if (running.isEmpty() && waiting.isEmpty()) {
        if (nextArrival == null) {
          break;
        }
        clockNs = nextArrival.arrivalNs(); // idle until the next request
        continue;
      }
      iterate();
      progress.iterated(finished.size(), clockNs);
    }
    return result();
  }

  private void enter(RequestSpec spec, double arrivalNs) {
    long peakBlocks = capacity.blocksFor(spec.peakKvTokens());
    long nodeBlocks = capacity.nodeBlocks(capacity.nodes() - 1); // the smallest node's
    if (peakBlocks > nodeBlocks) {
      throw new InputException("request " + spec.id() + " can never fit: it needs " + spec.peakKvTokens()
          + " tokens of KV at its longest (" + spec.inputTokens() + " input + " + spec.outputTokens()
          + " output - 1), " + peakBlocks + " blocks of " + capacity.blockSize() + ", but the KV capacity is "
          + (capacity.nodes() == 1 ? capacity.blocks() + " blocks (" + capacity.tokens() + " tokens)"
          : nodeBlocks + " blocks per node (" + capacity.nodes() + " data-parallel nodes hold "
          + capacity.blocks() + " blocks)"));
    }
    if (!options.enableChunkedPrefill() && spec.inputTokens() > options.maxNumBatchedTokens()) {
      throw new InputException("request " + spec.id() + " has a " + spec.inputTokens() + "-token prompt, more than"
          + " max-num-batched-tokens (" + options.maxNumBatchedTokens() + ") with chunked prefill disabled");
    }
    RequestState r = new RequestState(spec, arrivalNs);
    if (options.enablePrefixCaching()) {
      r.blockHashes = KvBlockHashes.of(spec, options.blockSize());
    }
    waiting.addLast(r);
    inSystem++;
  }

  private void iterate() {
    scheduled.clear();
    entries.clear();
    swapBytes = 0;
    preemptedThisIteration = 0;
    specK = speculation == null ? 0 : speculation.proposalLength();
    int budget = scheduleRunning(options.maxNumBatchedTokens());
    if (preemptedThisIteration == 0) {
      if (kvShare != null) {
        kvShare.order(waiting, r -> r.spec, r -> r.preemptions > 0);
      }
      admitWaiting(budget);
    }
    if (entries.isEmpty()) {
      throw new IllegalStateException("scheduler found nothing to run with " + running.size() + " running and "
          + waiting.size() + " waiting requests, " + freeBlocks() + " free blocks");
    }
    IterationBatch batch = new IterationBatch(entries);
    IterationCost draft = speculation == null ? null : speculation.propose(entries); // drafting precedes verifying
    IterationCost cost = model.run(batch);
    double swapNs = swapBytes / options.swapBandwidthGBps(); // bytes / (GB/s) = ns; devices swap in parallel
    double computeNs = cacheCraft == null ? cost.timeNs() : cacheCraft.iterationTimeNs(cost.timeNs());
    double timeNs = computeNs + swapNs;
    if (draft != null) {
      timeNs += draft.timeNs();
      draft.energyPj().forEach((k, v) -> energyPj.merge(k, v, Double::sum));
      draft.unitBusyNs().forEach((k, v) -> busyNs.merge(k, v, Double::sum));
    }
    StageKind kind = StageKind.of(batch);
    prefillTokens += batch.tokens(Phase.PREFILL);
    log.add(clockNs, timeNs, kind, entries.size(), batch.tokens(Phase.PREFILL), batch.tokens(Phase.DECODE),
        usedBlocks(), preemptedThisIteration);
    stages.merge(kind, 1L, Long::sum);
    cost.energyPj().forEach((k, v) -> energyPj.merge(k, v, Double::sum));
    cost.unitBusyNs().forEach((k, v) -> busyNs.merge(k, v, Double::sum));
    clockNs += timeNs;
    complete();
    if (speculation != null) {
      speculation.endIteration(timeNs, draft == null ? 0 : draft.timeNs());
    }
  }

  /** Schedules running requests oldest first; returns the budget left. */
  private int scheduleRunning(int budget) {
    for (int i = 0; i < running.size() && budget > 0; i++) {
      RequestState r = running.get(i);
      int inFlight = loops.tokensInFlight(r.spec.id());
      int tokens = inFlight > 0 ? inFlight
          : r.chunkPlan != null && r.prefilling ? kvTokens(r, budget) : Math.min(r.wantedTokens() + proposals(r), budget);
      long need = capacity.blocksFor(r.computed + tokens) - r.blocks;
      boolean preemptedItself = false;
      while (need > pool(r).free()) {
        RequestState victim = removeNewest(r.node);
        preempt(victim);
        if (victim == r) {
          preemptedItself = true; // the newest on its node: the next request has moved into its slot
          break;
        }
      }
      if (preemptedItself) {
        i--;
        continue;
      }
      allocate(r, need);
      budget -= schedule(r, tokens, budget);
    }
    return budget;
  }

  /** The newest running request on {@code node}, taken out of the running list. */
  private RequestState removeNewest(int node) {
    for (int i = running.size() - 1; ; i--) {
      if (running.get(i).node == node) {
        return running.remove(i);
      }
    }
  }

  /** The node of a request's KV blocks. */
  private KvBlockPool pool(RequestState r) {
    return pools[r.node];
  }

  /**
   * Where a new request goes: the node running the fewest requests, then the one with the most free
   * blocks, then the lowest (a data-parallel load balancer that sees each node's queue and memory).
   */
  private int placeNew() {
    int best = 0;
    int bestRunning = Integer.MAX_VALUE;
    for (int n = 0; n < pools.length; n++) {
      int count = 0;
      for (RequestState r : running) {
        count += r.node == n ? 1 : 0;
      }
      if (count < bestRunning || count == bestRunning && pools[n].free() > pools[best].free()) {
        best = n;
        bestRunning = count;
      }
    }
    return best;
  }

  private long freeBlocks() {
    long free = 0;
    for (KvBlockPool p : pools) {
      free += p.free();
    }
    return free;
  }

  private long usedBlocks() {
    long used = 0;
    for (KvBlockPool p : pools) {
      used += p.used();
    }
    return used;
  }

  /** Draft tokens a decoding request verifies this iteration: k, never past the end of its output. */
  private int proposals(RequestState r) {
    return speculation == null || r.prefilling ? 0 : Math.min(specK, r.spec.outputTokens() - r.generated - 1);
  }

  private void admitWaiting(int budget) {
    while (!waiting.isEmpty() && running.size() < options.maxNumSeqs() && budget > 0) {
      RequestState r = waiting.peekFirst();
      int node = r.node >= 0 ? r.node : placeNew(); // a request keeps its node once placed
      KvBlockPool pool = pools[node];
      int hit = cachedLeadingBlocks(r, pool);
      int cached = hit * options.blockSize();
      if (kvShare != null && !r.swapped) {
        cached = kvShare.skippedTokens(r.spec); // reused fragments, less DHD's prefill recompute
      }
      if (cacheCraft != null && !r.swapped && r.computed == 0) {
        r.chunkPlan = cacheCraft.plan(r.spec, r.prefillTarget()); // its prefill starts (again) now
      }
      int wanted = r.chunkPlan != null && r.prefilling ? r.chunkPlan.computeRemaining(r.computed)
          : r.wantedTokens() - cached;
      if (!options.enableChunkedPrefill() && wanted > budget) {
        if (wanted > options.maxNumBatchedTokens()) {
          throw new InputException("request " + r.spec.id() + " was preempted and must recompute " + wanted
              + " tokens, more than max-num-batched-tokens (" + options.maxNumBatchedTokens() + ") with chunked"
              + " prefill disabled; enable chunked prefill, raise the budget or use preemption-mode swap");
        }
        return; // first come, first served: it waits for a fuller budget
      }
      int tokens = r.chunkPlan != null && r.prefilling ? kvTokens(r, budget) : Math.min(wanted, budget);
      long onDevice = capacity.blocksFor(r.computed + cached + tokens);
      long taken = onDevice - hit; // new blocks, plus cached ones nobody references (they count as free)
      for (int i = 0; i < hit; i++) {
        taken += pool.unreferenced(hits.getInt(i)) ? 1 : 0;
      }
      if (taken > pool.free()) {
        return;
      }
      waiting.pollFirst();
      r.node = node;
      if (options.enablePrefixCaching() && !r.swapped) {
        cacheQueryTokens += r.prefillTarget();
        cacheHitTokens += cached;
        r.cachedTokens += cached;
        for (int i = 0; i < hit; i++) {
          pool.share(hits.getInt(i)); // before allocating, which could otherwise evict them
          r.blockIds.add(hits.getInt(i));
        }
        r.blocks = hit;
        r.computed = cached;
        r.hashedBlocks = hit;
      }
      if (kvShare != null && !r.swapped) {
        cacheQueryTokens += r.prefillTarget();
        cached = kvShare.admit(r.spec);
        cacheHitTokens += cached;
        r.cachedTokens += cached;
        r.computed = cached;
      }
      if (cacheCraft != null && !r.swapped && r.computed == 0) {
        cacheCraft.admit(r.chunkPlan);
        int reused = cacheCraft.reusedTokens(r.chunkPlan);
        cacheQueryTokens += r.prefillTarget();
        cacheHitTokens += reused;
        r.cachedTokens += reused;
      }
      if (r.swapped) {
        swapBytes += r.blocks * capacity.bytesPerBlockPerDevice();
        r.swapped = false;
        r.blocks = 0;
      }
      allocate(r, onDevice - r.blocks);
      running.add(r);
      budget -= schedule(r, tokens, budget);
    }
  }

  /**
   * How many leading blocks of a request about to start its prefill are cached (their ids in {@code hits}).
   * At least the prefill's last token is always computed, as vLLM does: it yields the next token's logits.
   */
  private int cachedLeadingBlocks(RequestState r, KvBlockPool pool) {
    hits.clear();
    if (!options.enablePrefixCaching() || r.swapped || r.computed > 0) {
      return 0;
    }
    int max = Math.min((r.prefillTarget() - 1) / options.blockSize(), r.blockHashes.length);
    for (int i = 0; i < max; i++) {
      int b = pool.lookup(r.blockHashes[i]);
      if (b < 0) {
        break;
      }
      hits.add(b);
    }
    return hits.size();
  }

  /** KV positions {@code r} advances within {@code budget}: as many as it computes, unless Cache-Craft reuses some. */
  private int kvTokens(RequestState r, int budget) {
    return r.chunkPlan != null && r.prefilling ? r.chunkPlan.advance(r.computed, budget)
        : Math.min(r.wantedTokens(), budget);
  }

  /** Tokens {@code r} computes (spends of the budget) advancing {@code kvTokens} positions. */
  private int computedTokens(RequestState r, int kvTokens) {
    return r.chunkPlan != null && r.prefilling ? r.chunkPlan.compute(r.computed, r.computed + kvTokens) : kvTokens;
  }

  private void allocate(RequestState r, long blocks) {
    pool(r).allocate(blocks, r.blockIds);
    r.blocks += blocks;
    if (pools.length > 1) {
      peakBlocks = Math.max(peakBlocks, usedBlocks()); // a prefix-cache hit's shared blocks come just before
    }
  }

  /** Schedules {@code tokens} new tokens of {@code r}; returns the batch entry's tokens (with any recomputed). */
  private int schedule(RequestState r, int tokens, int budget) {
    r.scheduledTokens = tokens;
    scheduled.add(r);
    if (r.chunkPlan != null && r.prefilling) {
      int first = entries.size();
      cacheCraft.addEntries(r.chunkPlan, r.spec.id(), r.computed, r.computed + tokens, entries);
      for (int i = first; i < entries.size(); i++) {
        entries.set(i, entries.get(i).onNode(r.node));
      }
      return computedTokens(r, tokens);
    }
    // KVShare's DHD recomputes a few reused tokens in each decode step: more tokens, no new KV
    int extra = kvShare == null || r.prefilling ? 0 : kvShare.decodeRecompute(r.spec.id(), budget - tokens);
    entries.add(new BatchEntry(r.spec.id(), r.prefilling ? Phase.PREFILL : Phase.DECODE, tokens + extra,
        r.computed + tokens).onNode(r.node));
    return tokens + extra;
  }

  private void preempt(RequestState victim) {
    loops.preempted(victim.spec.id());
    pool(victim).release(victim.blockIds);
    victim.hashedBlocks = 0;
    if (options.preemptionMode() == PreemptionMode.SWAP) {
      swapBytes += victim.blocks * capacity.bytesPerBlockPerDevice();
      victim.swapped = true; // keeps its block count, now on the host
    } else {
      victim.blocks = 0;
      victim.computed = 0;
      victim.prefilling = true;
      if (speculation != null) {
        speculation.discard(victim.spec.id());
      }
    }
    victim.preemptions++;
    preemptions++;
    preemptedThisIteration++;
    waiting.addFirst(victim);
  }

  /** Applies the iteration's progress at its end: tokens out, finished requests leave. */
  private void complete() {
    boolean anyFinished = false;
    for (RequestState r : scheduled) {
      if (!loops.passDone(r.spec.id())) {
        r.scheduledTokens = 0; // one loop deeper next iteration: no KV position or token finished yet
        continue;
      }
      int emitted = 1;
      int kept = r.scheduledTokens;
      if (speculation != null && !r.prefilling) {
        emitted += speculation.verify(r.spec.id(), r.scheduledTokens - 1); // accepted prefix + the bonus token
        kept = emitted;
      }
      r.computed += kept;
      r.scheduledTokens = 0;
      if (speculation != null && r.blocks > capacity.blocksFor(r.computed)) {
        releaseRejected(r);
      }
      if (r.chunkPlan != null && r.prefilling) {
        cacheCraft.progress(r.chunkPlan, r.computed);
      }
      if (options.enablePrefixCaching()) {
        int full = Math.min(r.computed / options.blockSize(), r.blockHashes.length);
        for (int i = r.hashedBlocks; i < full; i++) {
          pool(r).register(r.blockIds.getInt(i), r.blockHashes[i]);
        }
        r.hashedBlocks = Math.max(r.hashedBlocks, full);
      }
      if (r.prefilling && r.computed < r.prefillTarget()) {
        continue; // a chunk, not the prompt's end: no token yet
      }
      if (r.prefilling && kvShare != null) {
        kvShare.prefilled(r.spec);
      }
      r.prefilling = false;
      r.chunkPlan = null;
      r.generated += emitted;
      generated += emitted;
      if (Double.isNaN(r.firstTokenNs)) {
        r.firstTokenNs = clockNs;
        ttfts.add(clockNs - r.arrivalNs);
      } else {
        double gap = clockNs - r.lastTokenNs;
        for (int i = 0; i < emitted; i++) {
          tbts.add(gap / emitted); // tokens that come out together share the gap (TPOT)
        }
        r.maxGapNs = Math.max(r.maxGapNs, gap);
      }
      r.lastTokenNs = clockNs;
      if (r.finished()) {
        anyFinished = true;
        if (kvShare != null) {
          kvShare.finished(r.spec.id());
        }
        pool(r).release(r.blockIds);
        r.blocks = 0;
        inSystem--;
        if (speculation != null) {
          speculation.discard(r.spec.id());
        }
        e2es.add(clockNs - r.arrivalNs);
        finished.add(new RequestRecord(r.spec.id(), r.arrivalNs, r.spec.inputTokens(), r.spec.outputTokens(),
            r.firstTokenNs, clockNs, r.maxGapNs, r.preemptions, r.cachedTokens));
      }
    }
    if (anyFinished) {
      running.removeIf(RequestState::finished);
    }
  }

  /** Frees the blocks a verification took beyond the tokens it kept (the rejected positions'). */
  private void releaseRejected(RequestState r) {
    int keep = (int) capacity.blocksFor(r.computed);
    pool(r).release(r.blockIds.subList(keep, r.blockIds.size()));
    r.blocks = keep;
  }

  private ServingResult result() {
    for (KvBlockPool p : pools) {
      p.check();
    }
    if (usedBlocks() != 0) {
      throw new IllegalStateException(usedBlocks() + " KV blocks still in use after every request finished");
    }
    finished.sort(Comparator.comparingLong(RequestRecord::id));
    if (cacheCraft != null) {
      policyMetrics.putAll(cacheCraft.metrics());
    }
    if (speculation != null) {
      speculation.addMetrics(policyMetrics);
    }
    double totalPj = energyPj.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> breakdown = new TreeMap<>();
    energyPj.forEach((k, v) -> breakdown.put(k, generated > 0 ? v / generated / 1e9 : 0));
    Map<String, Double> utilisation = new TreeMap<>();
    busyNs.forEach((k, v) -> utilisation.put(k, clockNs > 0 ? v / (clockNs * capacity.devices()) : 0));
    if (kvShare != null) {
      policyMetrics.putAll(kvShare.metrics());
    }
    loops.addMetrics(policyMetrics);
    return new ServingResult(model.fidelity(), finished.size(), generated, clockNs, log.size(), preemptions, stages,
        LatencySummary.ofNs(ttfts), LatencySummary.ofNs(tbts), LatencySummary.ofNs(e2es), totalPj,
        generated > 0 ? totalPj / generated / 1e9 : 0, new TreeMap<>(breakdown), new TreeMap<>(utilisation),
        capacity.blocks(), pools.length == 1 ? pools[0].peak() : peakBlocks, prefillTokens, cacheQueryTokens, cacheHitTokens, finished, log,
        policyMetrics);
  }
}
