package io.duplexsim.workloads.serving.disagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import io.duplexsim.units.interconnect.Fabric;
import io.duplexsim.units.interconnect.LinkSpec;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.RequestRecord;
import io.duplexsim.workloads.serving.ServingOptions;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.workloads.serving.ServingSimulation;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RequestSource;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DisaggregatedServingTest {
  /** A small budget so that prompts are chunked over several iterations. */
  private static final ServingOptions OPTIONS = ServingOptions.DEFAULTS.withMaxNumSeqs(8).withMaxNumBatchedTokens(64);
  private static final KvTransferRoute ONE_PAIR = new KvTransferRoute(new int[] {0}, new int[] {1}, new double[] {4096});
  private static final LinkSpec TEST_LINK = new LinkSpec("test", "hand-built", "test", 50, 700, 1, 0);

  private static KvCapacity blocks(long n) {
    return new KvCapacity(n, 16, 4096, 1);
  }

  private static KvTransferLink realLink() {
    return KvTransferLink.over(new Fabric(2, 1, TEST_LINK, TEST_LINK), ONE_PAIR);
  }

  /** Requests in order, open loop. */
  private static RequestSource list(List<RequestSpec> requests) {
    return new RequestSource() {
      private int next;

      @Override
      public RequestSpec next() {
        return next < requests.size() ? requests.get(next++) : null;
      }

      @Override
      public int concurrency() {
        return 0;
      }
    };
  }

  /** Seeded requests arriving a second apart: each is served alone. */
  private static List<RequestSpec> spacedOut(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<RequestSpec> l = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      l.add(RequestSpec.of(i, i * 1e9, 1 + rnd.nextInt(300), 1 + rnd.nextInt(40)));
    }
    return l;
  }

  private static SyntheticRequests closedLoop(int n, int concurrency, long seed) {
    return new SyntheticRequests(n, new LengthDistribution.Uniform(20, 300), new LengthDistribution.Uniform(1, 80),
        new ArrivalProcess.Closed(concurrency), seed);
  }

  private static ServingResult disagg(RequestSource src, PhaseRecordingModel p, PhaseRecordingModel d, long pBlocks,
      long dBlocks, KvTransferLink link) {
    return DisaggregatedServing.run(OPTIONS, src, new DisaggregatedServing.Instance(p, blocks(pBlocks)),
        new DisaggregatedServing.Instance(d, blocks(dBlocks)), link);
  }

  /**
   * With a free, infinitely fast link and both instances priced like the colocated system, a request
   * served alone goes through the same iterations: a prefill-only run gives its TTFT, and the decode
   * iterations follow at once. So every request's timeline equals colocated serving's.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void instantLinkServesLoneRequestsExactlyAsColocatedServing(long seed) {
    ServingResult colocated = ServingSimulation.run(OPTIONS, list(spacedOut(seed)), PhaseRecordingModel.standard(),
        blocks(1000));
    ServingResult split = disagg(list(spacedOut(seed)), PhaseRecordingModel.standard(), PhaseRecordingModel.standard(),
        1000, 1000, KvTransferLink.instant(ONE_PAIR));
    assertEquals(colocated.perRequest(), split.perRequest());
    assertEquals(colocated.ttft(), split.ttft());
    assertEquals(colocated.tbt(), split.tbt());
    assertEquals(colocated.simTimeNs(), split.simTimeNs());
    assertEquals(colocated.generatedTokens(), split.generatedTokens());
    assertEquals(colocated.energyPj(), split.energyPj(), 1e-6 * colocated.energyPj());
    assertEquals(0.0, (double) split.policyMetrics().get("kv_transfer_time_s"));
  }

  /** A lone request's transfer delays only its first decode token: TTFT unchanged, E2E later by the transfer. */
  @Test
  void theTransferAddsToTheFirstDecodeGapOnly() {
    List<RequestSpec> one = List.of(RequestSpec.of(0, 0, 200, 10));
    ServingResult instant = disagg(list(one), PhaseRecordingModel.standard(), PhaseRecordingModel.standard(), 1000,
        1000, KvTransferLink.instant(ONE_PAIR));
    ServingResult linked = disagg(list(one), PhaseRecordingModel.standard(), PhaseRecordingModel.standard(), 1000, 1000,
        realLink());
    double transfer = realLink().price(200).timeNs();
    assertEquals(200L * 4096, linked.policyMetrics().get("kv_transfer_bytes"));
    assertEquals(200 * 4096 / 50.0 + 700, transfer, 0.03 * transfer);
    RequestRecord a = instant.perRequest().get(0);
    RequestRecord b = linked.perRequest().get(0);
    assertEquals(a.ttftNs(), b.ttftNs());
    assertEquals(a.e2eNs() + transfer, b.e2eNs(), 1e-6);
    double firstDecode = 10_000 + 50 + 201; // the standard model's decode of one token attending 201 keys
    assertEquals(transfer + firstDecode, b.maxTbtNs(), 1e-6, "the first decode gap holds the transfer");
    assertEquals(transfer / 1e6, (double) linked.policyMetrics().get("kv_transfer_time_p50_ms"), 1e-9);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void thePrefillInstanceRunsOnlyPrefillsAndTheDecodeInstanceOnlyDecodes(long seed) {
    PhaseRecordingModel p = PhaseRecordingModel.standard();
    PhaseRecordingModel d = PhaseRecordingModel.standard();
    SyntheticRequests twin = closedLoop(60, 8, seed);
    long expected = 0;
    for (RequestSpec s; (s = twin.next()) != null; ) {
      expected += s.outputTokens();
    }
    // tight KV on both sides: prefills wait for room, the decode instance swaps
    ServingResult r = disagg(closedLoop(60, 8, seed), p, d, 40, 40, realLink());
    assertEquals(60, r.requests());
    assertEquals(expected, r.generatedTokens());
    for (IterationBatch b : p.batches) {
      for (BatchEntry e : b.entries()) {
        assertEquals(Phase.PREFILL, e.phase());
      }
    }
    for (IterationBatch b : d.batches) {
      for (BatchEntry e : b.entries()) {
        assertEquals(Phase.DECODE, e.phase());
      }
    }
    assertEquals(p.batches.size() + d.batches.size(), r.iterations());
    assertTrue((long) r.policyMetrics().get("prefill_kv_peak_blocks") <= 40);
    assertTrue((long) r.policyMetrics().get("decode_kv_peak_blocks") <= 40);
    for (RequestRecord q : r.perRequest()) {
      assertTrue(q.arrivalNs() < q.firstTokenNs() && q.firstTokenNs() <= q.finishNs(), q.toString());
    }
  }

  /**
   * When the decode instance is full, finished prefills keep their KV on the prefill instance and wait;
   * with room to spare and an instant link they never wait.
   */
  @Test
  void aFullDecodeInstanceMakesFinishedPrefillsWaitWithTheirKv() {
    ServingResult roomy = disagg(closedLoop(60, 8, 7), PhaseRecordingModel.standard(), PhaseRecordingModel.standard(),
        1000, 1000, KvTransferLink.instant(ONE_PAIR));
    ServingResult tight = disagg(closedLoop(60, 8, 7), PhaseRecordingModel.standard(), PhaseRecordingModel.standard(),
        1000, 30, KvTransferLink.instant(ONE_PAIR));
    assertEquals(0.0, (double) roomy.policyMetrics().get("kv_transfer_wait_p99_ms"));
    assertTrue((double) tight.policyMetrics().get("kv_transfer_wait_p99_ms") > 0);
    assertTrue((long) tight.policyMetrics().get("decode_kv_peak_blocks") <= 30);
    assertTrue((long) tight.policyMetrics().get("decode_swaps") > 0, "growth past a full decode instance swaps");
    assertTrue(tight.simTimeNs() > roomy.simTimeNs());
  }

  @Test
  void sameSeedSameResultAndAnotherSeedDiffers() {
    ServingResult a = disagg(closedLoop(40, 6, 11), PhaseRecordingModel.standard(), PhaseRecordingModel.standard(), 60,
        60, realLink());
    ServingResult b = disagg(closedLoop(40, 6, 11), PhaseRecordingModel.standard(), PhaseRecordingModel.standard(), 60,
        60, realLink());
    ServingResult c = disagg(closedLoop(40, 6, 12), PhaseRecordingModel.standard(), PhaseRecordingModel.standard(), 60,
        60, realLink());
    assertEquals(a, b);
    assertEquals(a.toJson(), b.toJson());
    assertNotEquals(a.perRequest(), c.perRequest());
  }

  @Test
  void aRequestThatCanNeverFitTheDecodeInstanceIsRejected() {
    InputException e = assertThrows(InputException.class, () -> disagg(list(List.of(RequestSpec.of(0, 0, 100, 200))),
        PhaseRecordingModel.standard(), PhaseRecordingModel.standard(), 1000, 10, realLink()));
    assertTrue(e.getMessage().contains("decode instance"), e.getMessage());
  }

  @Test
  void prefixCachingIsRejected() {
    InputException e = assertThrows(InputException.class, () -> DisaggregatedServing.run(
        OPTIONS.withEnablePrefixCaching(true), list(List.of()), new DisaggregatedServing.Instance(
            PhaseRecordingModel.standard(), blocks(10)), new DisaggregatedServing.Instance(
            PhaseRecordingModel.standard(), blocks(10)), realLink()));
    assertTrue(e.getMessage().contains("enable-prefix-caching"), e.getMessage());
  }
}
