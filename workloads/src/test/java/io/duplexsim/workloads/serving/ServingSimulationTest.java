package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingSimulationTest {
  private static final ServingOptions OPTIONS = ServingOptions.DEFAULTS;

  private static KvCapacity blocks(long n) {
    return new KvCapacity(n, 16, 4096, 1);
  }

  private static SyntheticRequests closedLoop(int n, int concurrency, long seed) {
    return new SyntheticRequests(n, new LengthDistribution.Uniform(20, 300), new LengthDistribution.Uniform(1, 60),
        new ArrivalProcess.Closed(concurrency), seed);
  }

  @Test
  void closedLoopFinishesEveryRequestAndGeneratesEveryOutputToken() {
    int n = 40;
    long expectedTokens = 0;
    SyntheticRequests twin = closedLoop(n, 8, 3);
    for (RequestSpec s; (s = twin.next()) != null; ) {
      expectedTokens += s.outputTokens();
    }
    ServingResult r = ServingSimulation.run(OPTIONS, closedLoop(n, 8, 3), LinearIterationModel.standard(), blocks(10_000));
    assertEquals(n, r.requests());
    assertEquals(expectedTokens, r.generatedTokens());
    assertEquals(n, r.perRequest().size());
    for (int i = 0; i < n; i++) {
      RequestRecord q = r.perRequest().get(i);
      assertEquals(i, q.id());
      assertTrue(q.firstTokenNs() > q.arrivalNs() && q.finishNs() >= q.firstTokenNs(), q.toString());
    }
    assertEquals(0, r.preemptions());
    assertEquals(r.iterationLog().startNs(r.iterationLog().size() - 1) + r.iterationLog().timeNs(r.iterationLog().size() - 1),
        r.simTimeNs());
  }

  @Test
  void progressIsToldAfterEveryIterationWithTheFinishedRequestsAndTheClock() {
    List<double[]> told = new java.util.ArrayList<>();
    ServingResult r = ServingSimulation.run(OPTIONS, closedLoop(30, 6, 4), LinearIterationModel.standard(),
        blocks(10_000), ServingPolicies.NONE, (finished, clockNs) -> told.add(new double[] {finished, clockNs}));
    assertEquals(r.iterations(), told.size(), "once per iteration");
    for (int i = 0; i < told.size(); i++) {
      double end = r.iterationLog().startNs(i) + r.iterationLog().timeNs(i);
      assertEquals(end, told.get(i)[1], "clock at iteration " + i + "'s end");
      int finishedByThen = (int) r.perRequest().stream().filter(q -> q.finishNs() <= end).count();
      assertEquals(finishedByThen, (int) told.get(i)[0], "requests finished by iteration " + i);
    }
    assertEquals(30, (int) told.get(told.size() - 1)[0]);
    // watching changes nothing that is simulated
    ServingResult unwatched = ServingSimulation.run(OPTIONS, closedLoop(30, 6, 4), LinearIterationModel.standard(),
        blocks(10_000));
    assertEquals(unwatched.simTimeNs(), r.simTimeNs());
    assertEquals(unwatched.perRequest(), r.perRequest());
  }

  @Test
  void closedLoopKeepsConcurrencyRequestsInTheSystemAndRefillsAtTheNextIteration() {
    // 2 in flight, output 1 each: every iteration prefills two new prompts that arrived when the last one ended
    ListSource src = new ListSource(2, RequestSpec.of(0, 0, 10, 1), RequestSpec.of(1, 0, 10, 1),
        RequestSpec.of(2, 0, 10, 1), RequestSpec.of(3, 0, 10, 1));
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult r = ServingSimulation.run(OPTIONS, src, m, blocks(100));
    assertEquals(2, r.iterations());
    RequestRecord third = r.perRequest().get(2);
    assertEquals(r.iterationLog().timeNs(0), third.arrivalNs());
    assertEquals(r.iterationLog().timeNs(1), third.ttftNs());
  }

  @Test
  void batchNeverHoldsMoreThanMaxNumSeqs() {
    ServingOptions o = OPTIONS.withMaxNumSeqs(5);
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult r = ServingSimulation.run(o, closedLoop(60, 16, 5), m, blocks(10_000));
    int most = m.batches.stream().mapToInt(b -> b.entries().size()).max().orElseThrow();
    assertEquals(5, most, "the limit is reached, never passed");
    assertEquals(60, r.requests());
  }

  @Test
  void tokenBudgetIsNeverExceeded() {
    ServingOptions o = OPTIONS.withMaxNumSeqs(16).withMaxNumBatchedTokens(128);
    LinearIterationModel m = LinearIterationModel.standard();
    ServingSimulation.run(o, closedLoop(60, 16, 7), m, blocks(10_000));
    int most = m.batches.stream().mapToInt(IterationBatch::tokens).max().orElseThrow();
    assertEquals(128, most, "the budget is filled, never passed");
  }

  @Test
  void aRequestArrivingWhileOthersDecodeMakesAMixedStage() {
    ListSource src = ListSource.open(RequestSpec.of(0, 0, 8, 50), RequestSpec.of(1, 200_000, 40, 5));
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult r = ServingSimulation.run(OPTIONS, src, m, blocks(100));
    IterationBatch mixed = m.batches.stream().filter(IterationBatch::mixed).findFirst().orElseThrow();
    assertEquals(new BatchEntry(0, Phase.DECODE, 1, mixed.entries().get(0).kvLength()).onNode(0),
        mixed.entries().get(0));
    assertEquals(new BatchEntry(1, Phase.PREFILL, 40, 40).onNode(0), mixed.entries().get(1));
    assertEquals(StageKind.PREFILL_ONLY, r.iterationLog().stage(0));
    assertTrue(r.stages().get(StageKind.MIXED) >= 1);
    assertTrue(r.stages().get(StageKind.DECODE_ONLY) >= 1);
    assertEquals(r.iterations(), r.stages().values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void chunkedPrefillSplitsALongPromptAndTtftCountsFromArrival() {
    double arrival = 5e6;
    ListSource src = ListSource.open(RequestSpec.of(0, arrival, 100, 3));
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult r = ServingSimulation.run(OPTIONS.withMaxNumSeqs(4).withMaxNumBatchedTokens(32), src, m, blocks(100));
    List<BatchEntry> first = m.batches.subList(0, 4).stream().map(b -> b.entries().get(0)).toList();
    assertEquals(List.of(new BatchEntry(0, Phase.PREFILL, 32, 32), new BatchEntry(0, Phase.PREFILL, 32, 64),
        new BatchEntry(0, Phase.PREFILL, 32, 96), new BatchEntry(0, Phase.PREFILL, 4, 100)),
        first.stream().map(e -> e.onNode(BatchEntry.ANY_NODE)).toList());
    assertEquals(new BatchEntry(0, Phase.DECODE, 1, 101).onNode(0), m.batches.get(4).entries().get(0));
    assertEquals(arrival, r.iterationLog().startNs(0), "idle until the request arrives");
    double prefillNs = 0;
    for (int i = 0; i < 4; i++) {
      prefillNs += m.costs.get(i).timeNs();
    }
    assertEquals(prefillNs / 1e6, r.ttft().p50Ms(), 1e-12);
    assertEquals(prefillNs, r.perRequest().get(0).ttftNs(), 1e-6);
    assertEquals(3, r.generatedTokens());
  }

  @Test
  void withoutChunkedPrefillAPromptIsScheduledWhole() {
    ServingOptions o = OPTIONS.withMaxNumSeqs(8).withEnableChunkedPrefill(false).withMaxNumBatchedTokens(64);
    LinearIterationModel m = LinearIterationModel.standard();
    ListSource src = ListSource.open(RequestSpec.of(0, 0, 40, 20), RequestSpec.of(1, 0, 40, 20));
    ServingSimulation.run(o, src, m, blocks(100));
    for (IterationBatch b : m.batches) {
      for (BatchEntry e : b.entries()) {
        assertTrue(e.phase() == Phase.DECODE || e.tokens() == 40, e.toString());
      }
    }
    // the second prompt does not fit next to the first: it waits one iteration, then mixes with a decode
    assertEquals(1, m.batches.get(0).entries().size());
    assertTrue(m.batches.get(1).mixed());
  }

  @Test
  void withoutChunkedPrefillAPromptOverTheBudgetIsAnError() {
    ServingOptions o = OPTIONS.withMaxNumSeqs(8).withEnableChunkedPrefill(false).withMaxNumBatchedTokens(64);
    InputException e = assertThrows(InputException.class, () -> ServingSimulation.run(o,
        ListSource.open(RequestSpec.of(3, 0, 65, 2)), LinearIterationModel.standard(), blocks(100)));
    assertEquals("request 3 has a 65-token prompt, more than max-num-batched-tokens (64) with chunked prefill disabled",
        e.getMessage());
  }

  @Test
  void withoutChunkedPrefillARecomputeOverTheBudgetIsAnError() {
    // two requests of 40 + 60 need 7 blocks each at their longest; with 8 blocks the newer one is preempted
    // when the older reaches 65 tokens, and must then recompute 40 + about 24 tokens, over the 48 budget
    ServingOptions o = OPTIONS.withMaxNumSeqs(2).withEnableChunkedPrefill(false).withMaxNumBatchedTokens(48);
    ListSource src = ListSource.open(RequestSpec.of(0, 0, 40, 60), RequestSpec.of(1, 0, 40, 60));
    InputException e = assertThrows(InputException.class,
        () -> ServingSimulation.run(o, src, LinearIterationModel.standard(), blocks(8)));
    assertTrue(e.getMessage().startsWith("request 1 was preempted and must recompute "), e.getMessage());
    assertTrue(e.getMessage().endsWith("tokens, more than max-num-batched-tokens (48) with chunked prefill disabled;"
        + " enable chunked prefill, raise the budget or use preemption-mode swap"), e.getMessage());
  }

  @Test
  void kvExhaustionPreemptsByRecomputeAndThePreemptedRequestsStillComplete() {
    // 4 requests need up to ceil((16 + 60 - 1) / 16) = 5 blocks each; 10 blocks hold two at their longest
    RequestSpec[] specs = new RequestSpec[4];
    for (int i = 0; i < 4; i++) {
      specs[i] = RequestSpec.of(i, 0, 16, 60);
    }
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult r = ServingSimulation.run(OPTIONS, ListSource.open(specs), m, blocks(10));
    assertTrue(r.preemptions() > 0);
    assertEquals(4, r.requests());
    assertEquals(240, r.generatedTokens());
    assertTrue(r.perRequest().stream().anyMatch(q -> q.preemptions() > 0));
    // a recompute prefills the prompt and the tokens generated before the preemption
    assertTrue(m.batches.stream().flatMap(b -> b.entries().stream())
        .anyMatch(e -> e.phase() == Phase.PREFILL && e.kvLength() > 16), "a recompute prefill");
    for (int i = 0; i < r.iterationLog().size(); i++) {
      assertTrue(r.iterationLog().kvBlocks(i) <= 10);
    }
    assertEquals(10, r.kvPeakBlocks());
    // every output token is counted once per request even when recomputed
    Map<Long, Integer> decodes = new HashMap<>();
    for (IterationBatch b : m.batches) {
      for (BatchEntry e : b.entries()) {
        if (e.phase() == Phase.DECODE) {
          decodes.merge(e.requestId(), 1, Integer::sum);
        }
      }
    }
    long prefills = m.batches.stream().mapToLong(b -> b.requests(Phase.PREFILL)).sum();
    // prompts fit the budget whole here, so every prefill entry ends a prefill and emits one token
    assertEquals(240, decodes.values().stream().mapToInt(Integer::intValue).sum() + prefills);
  }

  @Test
  void swapPreemptionMovesBlocksOverTheHostLinkInsteadOfRecomputing() {
    RequestSpec[] specs = new RequestSpec[4];
    for (int i = 0; i < 4; i++) {
      specs[i] = RequestSpec.of(i, 0, 16, 60);
    }
    LinearIterationModel m = LinearIterationModel.standard();
    ServingOptions o = OPTIONS.withPreemptionMode(PreemptionMode.SWAP).withSwapBandwidthGBps(1);
    ServingResult r = ServingSimulation.run(o, ListSource.open(specs), m, new KvCapacity(10, 16, 4096, 1));
    assertTrue(r.preemptions() > 0);
    assertEquals(240, r.generatedTokens());
    assertTrue(m.batches.stream().flatMap(b -> b.entries().stream())
        .noneMatch(e -> e.phase() == Phase.PREFILL && e.kvLength() > 16), "no recompute");
    double extra = 0;
    for (int i = 0; i < r.iterationLog().size(); i++) {
      extra += r.iterationLog().timeNs(i) - m.costs.get(i).timeNs();
    }
    // each preemption swaps its blocks out and later in: 4096 B per block at 1 GB/s is 4096 ns
    assertTrue(extra > 0 && extra % 4096 == 0, "swap time " + extra);
    assertTrue(extra >= 2 * 4096 * r.preemptions(), "out and back in: " + extra);
  }

  @Test
  void aRequestThatCanNeverFitIsAnErrorNamingItsSizeAndTheCapacity() {
    ListSource src = ListSource.open(RequestSpec.of(0, 0, 10, 5), RequestSpec.of(1, 0, 150, 12));
    InputException e = assertThrows(InputException.class,
        () -> ServingSimulation.run(OPTIONS, src, LinearIterationModel.standard(), blocks(10)));
    assertEquals("request 1 can never fit: it needs 161 tokens of KV at its longest (150 input + 12 output - 1),"
        + " 11 blocks of 16, but the KV capacity is 10 blocks (160 tokens)", e.getMessage());
  }

  @Test
  void aRequestThatExactlyFillsTheCapacityIsServed() {
    ServingResult r = ServingSimulation.run(OPTIONS, ListSource.open(RequestSpec.of(0, 0, 150, 11)),
        LinearIterationModel.standard(), blocks(10));
    assertEquals(11, r.generatedTokens());
    assertEquals(10, r.kvPeakBlocks());
  }

  @Test
  void tbtPercentilesOnAHandMadeRun() {
    // alone, prompt 4, 5 tokens: decode steps attend 5, 6, 7, 8 keys -> gaps 1050, 1060, 1070, 1080 ns
    LinearIterationModel m = new LinearIterationModel(1000, 0, 10);
    ServingResult r = ServingSimulation.run(OPTIONS, ListSource.open(RequestSpec.of(0, 0, 4, 5)), m, blocks(10));
    assertEquals(4, r.tbt().count());
    assertEquals(1060e-6, r.tbt().p50Ms(), 1e-15); // nearest rank: the 2nd of 4
    assertEquals(1080e-6, r.tbt().p90Ms(), 1e-15); // the 4th
    assertEquals(1080e-6, r.tbt().p99Ms(), 1e-15);
    assertEquals(1065e-6, r.tbt().meanMs(), 1e-15);
    assertEquals(1040e-6, r.ttft().p50Ms(), 1e-15);
    assertEquals((1040 + 4260) * 1e-6, r.e2e().p50Ms(), 1e-15);
    assertEquals(1080, r.perRequest().get(0).maxTbtNs());
    assertEquals(1065, r.perRequest().get(0).meanTbtNs(), 1e-9);
  }

  @Test
  void energyPerTokenAndUtilisationComeFromTheIterationCosts() {
    LinearIterationModel m = new LinearIterationModel(1000, 0, 10);
    ServingResult r = ServingSimulation.run(OPTIONS, ListSource.open(RequestSpec.of(0, 0, 4, 5)), m,
        new KvCapacity(10, 16, 4096, 2));
    double totalNs = 1040 + 4260;
    assertEquals(totalNs, r.simTimeNs(), 1e-9);
    assertEquals(totalNs / 5 / 1e9, r.energyPerTokenMj(), 1e-18);
    assertEquals(0.75 * totalNs / 5 / 1e9, r.energyBreakdownMjPerToken().get("fc.dram"), 1e-18);
    assertEquals(0.5, r.unitUtilization().get("xpu"), 1e-12, "busy all the time on one of two devices' worth");
    assertEquals(5 / (totalNs / 1e9), r.throughputTokensPerS(), 1e-6);
  }

  @Test
  void sameSeedGivesIdenticalResults() {
    ServingOptions o = OPTIONS.withMaxNumSeqs(8).withMaxNumBatchedTokens(96);
    ServingResult a = ServingSimulation.run(o, poissonGaussian(11), LinearIterationModel.standard(), blocks(40));
    ServingResult b = ServingSimulation.run(o, poissonGaussian(11), LinearIterationModel.standard(), blocks(40));
    ServingResult c = ServingSimulation.run(o, poissonGaussian(12), LinearIterationModel.standard(), blocks(40));
    assertTrue(a.preemptions() > 0, "the comparison covers preemption too");
    assertEquals(a, b);
    assertEquals(a.toJson(), b.toJson());
    assertNotEquals(a, c);
  }

  private static SyntheticRequests poissonGaussian(long seed) {
    return new SyntheticRequests(80, new LengthDistribution.Gaussian(120, 40), new LengthDistribution.Gaussian(60, 30),
        new ArrivalProcess.Poisson(100_000), seed);
  }

  @Test
  void jsonHoldsTheKeysTheCommandLinePrints() {
    ServingResult r = ServingSimulation.run(OPTIONS, closedLoop(5, 2, 1), LinearIterationModel.standard(), blocks(100));
    Map<String, Object> j = r.toJson();
    for (String k : List.of("requests", "generated_tokens", "sim_time_s", "throughput_tokens_per_s", "ttft_p50_ms",
        "ttft_p99_ms", "tbt_p50_ms", "tbt_p90_ms", "tbt_p99_ms", "e2e_p50_ms", "energy_per_token_mJ",
        "energy_breakdown", "fidelity")) {
      assertTrue(j.containsKey(k), k);
    }
    assertEquals("test-linear", j.get("fidelity"));
    assertFalse(j.values().stream().anyMatch(v -> v instanceof Double d && !Double.isFinite(d)));
  }

  @Test
  void capacitySizedForAnotherBlockSizeIsRejected() {
    InputException e = assertThrows(InputException.class, () -> ServingSimulation.run(OPTIONS.withBlockSize(32),
        closedLoop(1, 1, 1), LinearIterationModel.standard(), blocks(10)));
    assertEquals("block-size is 32 but the KV capacity was sized for blocks of 16 tokens", e.getMessage());
  }
}
