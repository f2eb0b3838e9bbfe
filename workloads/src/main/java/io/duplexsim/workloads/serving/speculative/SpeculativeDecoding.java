package io.duplexsim.workloads.serving.speculative;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.IterationCost;
import io.duplexsim.workloads.serving.IterationModel;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Speculative decoding inside the serving engine. Each iteration the engine asks for the proposal length
 * k and schedules every decoding request for k+1 positions (fewer near its output's end); then:
 * <ol>
 *   <li>{@link #propose}: the draft model runs k decode iterations of those requests, one after another
 *       (the first also catches the draft's KV up on tokens it has not seen: the prompt, the last
 *       step's bonus token, anything decoded while k was 0), each priced by the draft's iteration model;
 *       prompt lookup proposes for free;
 *   <li>the target verifies the k+1 positions of every request in one forward pass (the engine's batch);
 *   <li>{@link #verify}: each proposed token is accepted with the configured probability, drawn from a
 *       seeded stream, up to the first rejection; the accepted prefix and one bonus token come out at the
 *       iteration's end, the rejected positions' KV is dropped (target's by the engine, draft's here).
 * </ol>
 * The draft's KV lives in the target's blocks (the capacity is sized for both, {@link DraftCapacity}).
 */
public final class SpeculativeDecoding {
  private final SpeculativeConfig config;
  private final IterationModel draft;
  private final SmartSpecController smartSpec;
  private final SplittableRandom rng;
  /** Tokens of each request whose KV the draft model holds. */
  private final Long2IntOpenHashMap draftKv = new Long2IntOpenHashMap();
  private final List<BatchEntry> draftEntries = new ArrayList<>();
  private final IntArrayList proposals = new IntArrayList();
  private final IntArrayList contexts = new IntArrayList();

  private int k;
  private long iterations;
  private long decodeSteps;
  private long kSum;
  private long requestSteps;
  private long proposed;
  private long accepted;
  private long rejections;
  private long emitted;
  private double decodeStepNs;
  private double draftNs;
  private double totalNs;
  /** In this iteration: decodes, their summed context, accepted tokens and rejections. */
  private int stepBatch;
  private long stepContext;
  private long stepAccepted;
  private long stepRejections;
  private final List<List<Long>> kSeries = new ArrayList<>();

  /**
   * @param target the target's iteration model (SmartSpec prices candidate k with it)
   * @param draft the draft model's iteration model; null for prompt lookup
   * @param blockSize the KV block size (SmartSpec's shape buckets)
   * @param seed the run's seed; acceptance draws come from a stream of their own
   */
  public SpeculativeDecoding(SpeculativeConfig config, IterationModel target, IterationModel draft, int blockSize,
      long seed) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("speculative decoding is off in " + config);
    }
    if ((config.proposer() == SpeculativeConfig.Proposer.DRAFT_MODEL) != (draft != null)) {
      throw new IllegalArgumentException("a draft model's iteration model goes with the draft-model proposer only");
    }
    this.config = config;
    this.draft = draft;
    this.k = config.numSpeculativeTokens();
    this.smartSpec = config.controller() == SpeculativeConfig.Controller.SMARTSPEC
        ? new SmartSpecController(new StepPricer(target, draft, blockSize), k, SpeculativeConfig.K_MAX) : null;
    this.rng = new SplittableRandom(seed ^ 0x5eC1A7E5L); // a stream apart from the workload's
  }

  /** The proposal length for the coming iteration. */
  public int proposalLength() {
    return k;
  }

  /**
   * Runs the draft passes for the batch the engine just scheduled (decode entries of more than one token
   * are speculating: tokens - 1 proposals at context kvLength - tokens). Returns their cost, or null when
   * nothing was drafted on a model.
   */
  public IterationCost propose(List<BatchEntry> batch) {
    if (kSeries.isEmpty() || kSeries.get(kSeries.size() - 1).get(1) != k) {
      kSeries.add(List.of(iterations, (long) k));
    }
    draftEntries.clear();
    proposals.clear();
    contexts.clear();
    int most = 0;
    for (BatchEntry e : batch) {
      if (e.phase() != Phase.DECODE) {
        continue;
      }
      stepBatch++;
      stepContext += e.kvLength() - e.tokens();
      if (e.tokens() > 1) {
        int p = e.tokens() - 1;
        int ctx = e.kvLength() - e.tokens();
        most = Math.max(most, p);
        proposals.add(p);
        contexts.add(ctx);
        if (draft != null) {
          int seen = draftKv.get(e.requestId());
          int tokens = ctx - seen + 1; // catch-up and the step's own token
          draftEntries.add(new BatchEntry(e.requestId(), tokens > 1 ? Phase.PREFILL : Phase.DECODE, tokens, ctx + 1)
              .onNode(e.node()));
          draftKv.put(e.requestId(), ctx + p);
        }
      }
    }
    if (draft == null || draftEntries.isEmpty()) {
      return null;
    }
    double time = 0;
    Map<String, Double> energy = new HashMap<>();
    Map<String, Double> busy = new HashMap<>();
    for (int step = 1; step <= most; step++) {
      if (step > 1) {
        // later draft iterations: one token each for the requests still proposing
        List<BatchEntry> next = new ArrayList<>();
        int j = 0;
        for (BatchEntry e : draftEntries) {
          if (proposals.getInt(j) >= step) {
            next.add(new BatchEntry(e.requestId(), Phase.DECODE, 1, contexts.getInt(j) + step).onNode(e.node()));
          }
          j++;
        }
        draftEntries.clear();
        draftEntries.addAll(next);
        filter(step);
      }
      IterationCost c = draft.run(new IterationBatch(draftEntries));
      time += c.timeNs();
      c.energyPj().forEach((key, v) -> energy.merge(key, v, Double::sum));
      c.unitBusyNs().forEach((key, v) -> busy.merge(key, v, Double::sum));
    }
    return new IterationCost(time, energy, busy);
  }

  /** Keeps the proposals and contexts of requests still proposing at {@code step}, aligned with the entries. */
  private void filter(int step) {
    int w = 0;
    for (int j = 0; j < proposals.size(); j++) {
      if (proposals.getInt(j) >= step) {
        proposals.set(w, proposals.getInt(j));
        contexts.set(w, contexts.getInt(j));
        w++;
      }
    }
    proposals.size(w);
    contexts.size(w);
  }

  /**
   * The target's verdict on a decoding request's {@code proposed} tokens (0 when it did not speculate):
   * how many leading ones it accepts. The request emits that many plus the bonus token.
   */
  public int verify(long requestId, int proposedTokens) {
    int a = 0;
    while (a < proposedTokens && rng.nextDouble() < config.acceptanceRate()) {
      a++;
    }
    requestSteps++;
    emitted += a + 1;
    if (proposedTokens > 0) {
      proposed += proposedTokens;
      accepted += a;
      stepAccepted += a;
      if (a < proposedTokens) {
        rejections++;
        stepRejections++;
        if (draft != null) {
          // the draft keeps KV up to the last accepted token it proposed (the bonus token it has not seen)
          draftKv.put(requestId, draftKv.get(requestId) - proposedTokens + a + 1);
        }
      }
    }
    return a;
  }

  /** A request lost its KV (preempted by recompute) or finished: so did the draft. */
  public void discard(long requestId) {
    draftKv.remove(requestId);
  }

  /** The iteration ended: it took {@code timeNs}, of which {@code draftTimeNs} drafting. */
  public void endIteration(double timeNs, double draftTimeNs) {
    iterations++;
    totalNs += timeNs;
    draftNs += draftTimeNs;
    if (stepBatch > 0) {
      decodeSteps++;
      kSum += k;
      decodeStepNs += timeNs;
      if (smartSpec != null) {
        smartSpec.observe(stepBatch, (int) (stepContext / stepBatch), stepAccepted, stepRejections);
        k = smartSpec.k();
      }
    }
    stepBatch = 0;
    stepContext = 0;
    stepAccepted = 0;
    stepRejections = 0;
  }

  /** Adds the policy's metrics, snake_case, as the results print them. */
  public void addMetrics(Map<String, Object> m) {
    m.put("speculative_model", config.proposerName());
    m.put("spec_controller", config.controller().name().toLowerCase(java.util.Locale.ROOT));
    m.put("spec_decode_steps", decodeSteps);
    m.put("spec_proposed_tokens", proposed);
    m.put("spec_accepted_tokens", accepted);
    // vLLM's draft acceptance rate: accepted / proposed (tokens after a rejection count as proposed)
    m.put("acceptance_rate", proposed > 0 ? (double) accepted / proposed : 0.0);
    // the per-token rate estimated from what was tried: accepted / (accepted + rejections)
    m.put("per_token_acceptance", accepted + rejections > 0 ? (double) accepted / (accepted + rejections) : 0.0);
    m.put("mean_k", decodeSteps > 0 ? (double) kSum / decodeSteps : 0.0);
    m.put("mean_tokens_per_step", requestSteps > 0 ? (double) emitted / requestSteps : 0.0);
    // SmartSpec's goodput: tokens the decode steps emitted per second of those steps (drafting included)
    m.put("goodput_tokens_per_s", decodeStepNs > 0 ? emitted / (decodeStepNs / 1e9) : 0.0);
    m.put("draft_time_share", totalNs > 0 ? draftNs / totalNs : 0.0);
    m.put("spec_k_series", List.copyOf(kSeries)); // [iteration, k] where k changed
  }
}
