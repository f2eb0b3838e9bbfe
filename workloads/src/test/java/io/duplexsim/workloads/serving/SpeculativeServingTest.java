package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RequestSource;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import io.duplexsim.workloads.serving.speculative.SpeculativeConfig;
import io.duplexsim.workloads.serving.speculative.SpeculativeConfig.Controller;
import io.duplexsim.workloads.serving.speculative.SpeculativeConfig.Proposer;
import io.duplexsim.workloads.serving.speculative.SpeculativeDecoding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Speculative decoding in the engine, on linear iteration models: the target pays a fixed 10 us per
 * iteration (its weights) plus 50 ns a token and 1 ns a key; the draft a tenth of that.
 */
class SpeculativeServingTest {
  private static final KvCapacity KV = new KvCapacity(4_000, 16, 4096, 1);

  private static SyntheticRequests workload(int n, ArrivalProcess arrivals, long seed) {
    return new SyntheticRequests(n, new LengthDistribution.Uniform(20, 200), new LengthDistribution.Uniform(1, 64),
        arrivals, seed);
  }

  private static LinearIterationModel draftModel() {
    return new LinearIterationModel(1_000, 5, 0.1);
  }

  private static ServingResult none(RequestSource source) {
    return ServingSimulation.run(ServingOptions.DEFAULTS, source, LinearIterationModel.standard(), KV);
  }

  private static ServingResult speculative(RequestSource source, Proposer proposer, int k, double rate,
      Controller controller, long seed) {
    return speculative(ServingOptions.DEFAULTS, source, LinearIterationModel.standard(), KV, proposer, k, rate,
        controller, seed);
  }

  private static ServingResult speculative(ServingOptions options, RequestSource source, IterationModel target,
      KvCapacity kv, Proposer proposer, int k, double rate, Controller controller, long seed) {
    SpeculativeConfig c = new SpeculativeConfig(proposer, proposer == Proposer.DRAFT_MODEL ? "draft" : null, k, rate,
        controller);
    IterationModel draft = proposer == Proposer.DRAFT_MODEL ? draftModel() : null;
    return ServingSimulation.run(options, source, target, kv,
        ServingPolicies.NONE.withSpeculation(new SpeculativeDecoding(c, target, draft, options.blockSize(), seed)));
  }

  private static double mean(List<RequestRecord> records) {
    return records.stream().mapToDouble(RequestRecord::e2eNs).average().orElseThrow();
  }

  private static long outputTokens(RequestSource source) {
    long n = 0;
    for (RequestSpec s; (s = source.next()) != null; ) {
      n += s.outputTokens();
    }
    return n;
  }

  /** The summary without the policy's own keys. */
  private static Map<String, Object> core(ServingResult r) {
    Map<String, Object> m = r.toJson();
    m.keySet().removeAll(r.policyMetrics().keySet());
    return m;
  }

  @Test
  void proposingNothingIsIdenticalToNoSpeculation() {
    // prompt lookup with k = 0 goes through every hook and proposes nothing: not a bit may change
    ServingResult off = none(workload(80, new ArrivalProcess.Poisson(20_000), 5));
    ServingResult k0 = speculative(workload(80, new ArrivalProcess.Poisson(20_000), 5), Proposer.PROMPT_LOOKUP, 0, 0.9,
        Controller.FIXED, 1);
    assertEquals(core(off), core(k0));
    assertEquals(off.perRequest(), k0.perRequest());
    assertEquals(off.iterationLog(), k0.iterationLog());
    assertEquals(0L, k0.policyMetrics().get("spec_proposed_tokens"));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void acceptanceZeroWithSmartSpecNeverBeatsNoSpeculationAndLearnsKZero(long seed) {
    for (ArrivalProcess arrivals : List.of(new ArrivalProcess.Closed(1), new ArrivalProcess.Closed(32),
        new ArrivalProcess.Poisson(5_000))) {
      ServingResult off = none(workload(60, arrivals, seed));
      ServingResult spec = speculative(workload(60, arrivals, seed), Proposer.DRAFT_MODEL, 4, 0, Controller.SMARTSPEC,
          seed);
      assertTrue(spec.simTimeNs() >= off.simTimeNs(), arrivals + ": " + spec.simTimeNs() + " < " + off.simTimeNs());
      assertTrue(mean(spec.perRequest()) >= mean(off.perRequest()), arrivals.toString());
      assertEquals(0L, spec.policyMetrics().get("spec_accepted_tokens"));
      @SuppressWarnings("unchecked")
      List<List<Long>> series = (List<List<Long>>) spec.policyMetrics().get("spec_k_series");
      assertEquals(List.of(0L, 4L), series.get(0), "it starts with the configured k");
      assertEquals(0L, series.get(series.size() - 1).get(1), arrivals + ": it learns k = 0, " + series);
      assertEquals(off.generatedTokens(), spec.generatedTokens());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"FIXED", "SMARTSPEC"})
  void highAcceptanceAtLowLoadIsFaster(Controller controller) {
    for (Proposer proposer : new Proposer[] {Proposer.DRAFT_MODEL, Proposer.PROMPT_LOOKUP}) {
      ServingResult off = none(workload(40, new ArrivalProcess.Closed(1), 9));
      ServingResult spec = speculative(workload(40, new ArrivalProcess.Closed(1), 9), proposer, 4, 0.9, controller, 9);
      assertTrue(mean(spec.perRequest()) < 0.7 * mean(off.perRequest()),
          proposer + ": " + mean(spec.perRequest()) + " vs " + mean(off.perRequest()));
      assertTrue(spec.tbt().p50Ms() < off.tbt().p50Ms());
      assertTrue((double) spec.policyMetrics().get("mean_tokens_per_step") > 2);
    }
  }

  @Test
  void fixedKAtHighLoadIsWorseThanNoneAndSmartSpecBacksOff() {
    // a compute-bound target (each token costs as much as the weights at B = 5): verifying k + 1 positions of a
    // full batch costs nearly k + 1 times a plain decode, which half-accepted proposals do not repay
    LinearIterationModel target = new LinearIterationModel(10_000, 2_000, 1);
    ServingOptions o = ServingOptions.DEFAULTS.withMaxNumSeqs(64).withMaxNumBatchedTokens(4096);
    ServingResult off = ServingSimulation.run(o, workload(200, new ArrivalProcess.Closed(64), 3), target, KV);
    ServingResult fixed = speculative(o, workload(200, new ArrivalProcess.Closed(64), 3), target, KV,
        Proposer.DRAFT_MODEL, 5, 0.5, Controller.FIXED, 3);
    ServingResult smart = speculative(o, workload(200, new ArrivalProcess.Closed(64), 3), target, KV,
        Proposer.DRAFT_MODEL, 5, 0.5, Controller.SMARTSPEC, 3);
    assertTrue(fixed.throughputTokensPerS() < off.throughputTokensPerS(),
        fixed.throughputTokensPerS() + " vs " + off.throughputTokensPerS());
    assertTrue(smart.throughputTokensPerS() > fixed.throughputTokensPerS());
    assertTrue((double) smart.policyMetrics().get("mean_k") < 5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RECOMPUTE", "SWAP"})
  void everyOutputTokenComesOutOnceAndNoBlockLeaksUnderPreemption(PreemptionMode mode) {
    // a KV cache so small that requests are preempted while speculating
    for (boolean caching : new boolean[] {false, true}) {
      ServingOptions o = ServingOptions.DEFAULTS.withMaxNumSeqs(8).withMaxNumBatchedTokens(128)
          .withPreemptionMode(mode).withEnablePrefixCaching(caching);
      KvCapacity small = new KvCapacity(40, 16, 4096, 1);
      LinearIterationModel target = LinearIterationModel.standard();
      ServingResult r = speculative(o, workload(50, new ArrivalProcess.Closed(8), 11), target, small,
          Proposer.DRAFT_MODEL, 6, 0.7, Controller.FIXED, 11);
      assertTrue(r.preemptions() > 0, "the test needs preemptions");
      assertEquals(outputTokens(workload(50, new ArrivalProcess.Closed(8), 11)), r.generatedTokens());
      assertEquals(50, r.requests());
      long emitted = (long) r.policyMetrics().get("spec_accepted_tokens");
      assertTrue(emitted > 0);
      for (IterationBatch b : target.batches) {
        assertTrue(b.tokens() <= o.maxNumBatchedTokens());
        for (BatchEntry e : b.entries()) {
          assertTrue(e.phase() == Phase.PREFILL || e.tokens() <= 7, e.toString());
        }
      }
      // the run ends by checking the pool: every block released, accounting consistent
      assertTrue(r.kvPeakBlocks() <= 40);
    }
  }

  @Test
  void perTokenAcceptanceFollowsTheConfiguredRate() {
    for (double rate : new double[] {0.3, 0.6, 0.9}) {
      ServingResult r = speculative(workload(100, new ArrivalProcess.Closed(16), 2), Proposer.PROMPT_LOOKUP, 5, rate,
          Controller.FIXED, 2);
      double estimate = (double) r.policyMetrics().get("per_token_acceptance");
      assertEquals(rate, estimate, 0.03);
      // vLLM's acceptance rate counts tokens after a rejection as proposed: it stays below the per-token rate
      assertTrue((double) r.policyMetrics().get("acceptance_rate") < estimate);
      assertEquals(5.0, (double) r.policyMetrics().get("mean_k"));
    }
  }

  @Test
  void theDraftCatchesUpOnThePromptThenProposesOneTokenAtATime() {
    LinearIterationModel draft = draftModel();
    LinearIterationModel target = LinearIterationModel.standard();
    SpeculativeConfig c = new SpeculativeConfig(Proposer.DRAFT_MODEL, "draft", 3, 1.0, Controller.FIXED);
    ServingResult r = ServingSimulation.run(ServingOptions.DEFAULTS, ListSource.open(RequestSpec.of(0, 0, 40, 9)),
        target, KV, ServingPolicies.NONE.withSpeculation(new SpeculativeDecoding(c, target, draft, 16, 1)));
    // prefill (token 1), then steps of 3 accepted + 1 bonus: tokens 2-5, 6-9
    assertEquals(3, target.batches.size());
    assertEquals(new BatchEntry(0, Phase.DECODE, 4, 44).onNode(0), target.batches.get(1).entries().get(0));
    assertEquals(new BatchEntry(0, Phase.DECODE, 4, 48).onNode(0), target.batches.get(2).entries().get(0));
    // step 1: the draft has seen nothing, so it takes the prompt and the first token in one pass, then two decodes;
    // step 2: the last accepted draft token and the bonus token, then two decodes
    assertEquals(List.of(new BatchEntry(0, Phase.PREFILL, 41, 41), new BatchEntry(0, Phase.DECODE, 1, 42),
        new BatchEntry(0, Phase.DECODE, 1, 43), new BatchEntry(0, Phase.PREFILL, 2, 45),
        new BatchEntry(0, Phase.DECODE, 1, 46), new BatchEntry(0, Phase.DECODE, 1, 47)),
        draft.batches.stream().map(b -> b.entries().get(0).onNode(BatchEntry.ANY_NODE)).toList());
    assertTrue(draft.batches.stream().allMatch(b -> b.entries().get(0).node() == 0), "the draft runs on the request's node");
    assertEquals(9, r.generatedTokens());
    double draftNs = draft.costs.stream().mapToDouble(IterationCost::timeNs).sum();
    double targetNs = target.costs.stream().mapToDouble(IterationCost::timeNs).sum();
    assertEquals(draftNs + targetNs, r.simTimeNs(), 1e-6);
    assertEquals(draftNs / (draftNs + targetNs), (double) r.policyMetrics().get("draft_time_share"), 1e-12);
    assertEquals(8.0 / 2, (double) r.policyMetrics().get("mean_tokens_per_step"), 1e-12);
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
    ServingResult a = speculative(workload(60, new ArrivalProcess.Poisson(10_000), 4), Proposer.DRAFT_MODEL, 4, 0.6,
        Controller.SMARTSPEC, 7);
    ServingResult b = speculative(workload(60, new ArrivalProcess.Poisson(10_000), 4), Proposer.DRAFT_MODEL, 4, 0.6,
        Controller.SMARTSPEC, 7);
    ServingResult c = speculative(workload(60, new ArrivalProcess.Poisson(10_000), 4), Proposer.DRAFT_MODEL, 4, 0.6,
        Controller.SMARTSPEC, 8);
    assertEquals(a.toJson(), b.toJson());
    assertEquals(a.perRequest(), b.perRequest());
    assertEquals(a.iterationLog(), b.iterationLog());
    assertNotEquals(a.policyMetrics().get("spec_accepted_tokens"), c.policyMetrics().get("spec_accepted_tokens"));
  }
}
