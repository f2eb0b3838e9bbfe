package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.kvshare.KvShareConfig;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.MultiTenantRequests;
import io.duplexsim.workloads.serving.requests.MultiTenantWorkload;
import io.duplexsim.workloads.serving.requests.PromptFragment;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** KVShare in the serving engine: fragment reuse, DHD's two stages, the cache-aware scheduler. */
class KvShareServingTest {
  private static final KvCapacity ROOMY = new KvCapacity(2000, 16, 512, 1);
  private static final KvShareConfig NO_SCHEDULER = KvShareConfig.DEFAULTS.withCacheAwareScheduler(false);

  private static MultiTenantRequests workload(long seed, double ratePerS) {
    return new MultiTenantRequests(80, new LengthDistribution.Uniform(8, 96), new LengthDistribution.Uniform(1, 40),
        new ArrivalProcess.Poisson(ratePerS), new MultiTenantWorkload(3, 12, new LengthDistribution.Uniform(16, 200),
            new LengthDistribution.Uniform(1, 3), 1.0), seed);
  }

  private static ServingOptions options() {
    return ServingOptions.DEFAULTS.withMaxNumSeqs(8).withMaxNumBatchedTokens(256);
  }

  /** Everything a run reports, KVShare's own metrics aside. */
  private static String render(ServingResult r) {
    Map<String, Object> m = r.toJson();
    m.keySet().removeIf(k -> k.startsWith("kvshare_"));
    StringWriter w = new StringWriter();
    ServingCsv.writeRequests(r, w);
    ServingCsv.writeIterations(r, w);
    return m + "\n" + w;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void withNoFragmentStoreItIsFullRecomputationExactly(long seed) {
    // kvshare-cache-fraction 0: nothing is ever stored, so nothing is reused and the scheduler sees equal hit rates
    KvCapacity tight = new KvCapacity(80, 16, 512, 1); // preemptions too
    for (KvCapacity c : List.of(ROOMY, tight)) {
      ServingResult base = ServingSimulation.run(options(), workload(seed, 20_000), LinearIterationModel.standard(), c);
      ServingResult off = ServingSimulation.run(options(), workload(seed, 20_000), LinearIterationModel.standard(), c,
          KvShareConfig.DEFAULTS.withCacheFraction(0));
      assertEquals(render(base), render(off));
      assertEquals(0L, off.policyMetrics().get("kvshare_reused_tokens"));
      assertEquals(0L, off.policyMetrics().get("kvshare_decode_recomputed_tokens"));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void recomputingEveryReusedTokenCostsWhatFullRecomputationCosts(long seed) {
    // r = 1: the reused fragments are all recomputed at prefill, nothing is left for decode
    ServingResult base = ServingSimulation.run(options(), workload(seed, 20_000), LinearIterationModel.standard(),
        ROOMY);
    ServingResult r1 = ServingSimulation.run(options(), workload(seed, 20_000), LinearIterationModel.standard(), ROOMY,
        NO_SCHEDULER.withRecomputeRatio(1));
    assertTrue((long) r1.policyMetrics().get("kvshare_reused_tokens") > 0, "fragments were found");
    assertEquals(base.simTimeNs(), r1.simTimeNs());
    assertEquals(base.prefillTokens(), r1.prefillTokens());
    assertEquals(base.ttft(), r1.ttft());
    assertEquals(base.tbt(), r1.tbt());
    assertEquals(0L, r1.policyMetrics().get("kvshare_tokens_saved"));
  }

  /** Request 0 computes fragment 7; request 1, long after, has it at another position. */
  private static ListSource pair(int fragmentLen, int outputTokens) {
    return ListSource.open(
        RequestSpec.withFragments(0, 0, fragmentLen + 200, 1, List.of(new PromptFragment(7, 100, fragmentLen))),
        RequestSpec.withFragments(1, 1e9, fragmentLen + 100, outputTokens, List.of(new PromptFragment(7, 0,
            fragmentLen))));
  }

  private static int ceil(String r, int reused) {
    return new BigDecimal(r).multiply(BigDecimal.valueOf(reused)).setScale(0, RoundingMode.CEILING).intValueExact();
  }

  @ParameterizedTest
  @CsvSource({"0.2, 501", "0.1, 30", "0, 300", "0.37, 777", "1, 64", "0.2, 1000"})
  void thePrefillRecomputesCeilRTimesTheReusedTokens(String r, int fragmentLen) {
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult res = ServingSimulation.run(ServingOptions.DEFAULTS, pair(fragmentLen, 2), m, ROOMY,
        NO_SCHEDULER.withRecomputeRatio(Double.parseDouble(r)));
    int recomputed = ceil(r, fragmentLen);
    int skipped = fragmentLen - recomputed;
    int prefilled = 0;
    int firstStart = -1;
    for (IterationBatch b : m.batches) {
      for (BatchEntry e : b.entries()) {
        if (e.requestId() == 1 && e.phase() == Phase.PREFILL) {
          prefilled += e.tokens();
          firstStart = firstStart < 0 ? e.kvLength() - e.tokens() : firstStart;
        }
      }
    }
    assertEquals(fragmentLen + 100 - skipped, prefilled, "its own 100 tokens and the recomputed ones");
    assertEquals(skipped, firstStart, "it attends the reused KV");
    assertEquals((long) fragmentLen, res.policyMetrics().get("kvshare_reused_tokens"));
    assertEquals((long) recomputed, res.policyMetrics().get("kvshare_prefill_recomputed_tokens"));
    assertEquals(skipped, res.perRequest().get(1).cachedTokens());
    assertEquals((double) fragmentLen / (fragmentLen + 100) / 2, (double) res.policyMetrics().get(
        "kvshare_mean_hit_rate"), 1e-12, "request 0 found nothing");
    assertEquals(skipped, res.prefixCacheHitTokens(), "prefill_tokens_reused counts the skipped tokens");
    assertEquals(2L * fragmentLen + 300, res.prefillTokens() + res.prefixCacheHitTokens());
  }

  @ParameterizedTest
  @CsvSource({"501, 50", "40, 30", "40, 5"})
  void eachDecodeStepRecomputesThreeMoreReusedTokensUntilNoneAreLeft(int fragmentLen, int outputTokens) {
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult res = ServingSimulation.run(ServingOptions.DEFAULTS, pair(fragmentLen, outputTokens), m, ROOMY,
        NO_SCHEDULER);
    int left = fragmentLen - ceil("0.2", fragmentLen);
    List<BatchEntry> decodes = new ArrayList<>();
    for (IterationBatch b : m.batches) {
      b.entries().stream().filter(e -> e.requestId() == 1 && e.phase() == Phase.DECODE).forEach(decodes::add);
    }
    assertEquals(outputTokens - 1, decodes.size());
    int extras = 0;
    for (int i = 0; i < decodes.size(); i++) {
      int extra = Math.min(3, left - extras);
      assertEquals(1 + extra, decodes.get(i).tokens(), "decode step " + i);
      assertEquals(fragmentLen + 100 + i + 1, decodes.get(i).kvLength(), "no new KV for the recomputed tokens");
      extras += extra;
    }
    assertEquals((long) extras, res.policyMetrics().get("kvshare_decode_recomputed_tokens"));
    assertEquals(outputTokens + 1L, res.generatedTokens(), "recomputed tokens are not output");
    ServingResult none = ServingSimulation.run(ServingOptions.DEFAULTS, pair(fragmentLen, outputTokens),
        LinearIterationModel.standard(), ROOMY, NO_SCHEDULER.withDecodeRecomputeTokens(0));
    assertTrue(res.tbt().meanMs() > none.tbt().meanMs(), "the extra tokens cost decode time");
  }

  /**
   * Request 0 leaves fragment 9 in the store; requests 1 (nothing shared) and 2 (mostly fragment 9)
   * arrive together while it runs, and one request runs at a time.
   */
  private static ServingResult queued(boolean cacheAware) {
    ListSource src = ListSource.open(
        RequestSpec.withFragments(0, 0, 1100, 1, List.of(new PromptFragment(9, 0, 1000))),
        RequestSpec.of(1, 1000, 1100, 1),
        RequestSpec.withFragments(2, 1000, 1100, 1, List.of(new PromptFragment(9, 50, 1000))));
    return ServingSimulation.run(ServingOptions.DEFAULTS.withMaxNumSeqs(1), src, LinearIterationModel.standard(),
        ROOMY, KvShareConfig.DEFAULTS.withCacheAwareScheduler(cacheAware));
  }

  @Test
  void theCacheAwareSchedulerAdmitsTheHigherHitRateFirstAndCutsMeanTtft() {
    ServingResult fcfs = queued(false);
    ServingResult aware = queued(true);
    RequestRecord fcfs1 = fcfs.perRequest().get(1);
    RequestRecord fcfs2 = fcfs.perRequest().get(2);
    RequestRecord aware1 = aware.perRequest().get(1);
    RequestRecord aware2 = aware.perRequest().get(2);
    assertTrue(fcfs1.firstTokenNs() < fcfs2.firstTokenNs(), "first come, first served");
    assertTrue(aware2.firstTokenNs() < aware1.firstTokenNs(), "the 91% hit goes first");
    assertTrue(aware2.ttftNs() < fcfs2.ttftNs());
    assertTrue(aware1.ttftNs() > fcfs1.ttftNs());
    assertTrue(aware.ttft().meanMs() < fcfs.ttft().meanMs(), "the short prefill no longer waits for the long one");
    assertEquals(fcfs.prefillTokens(), aware.prefillTokens(), "the same reuse either way");
  }

  /** A run with preemptions and store evictions, everything it reports. */
  private static String tightRun(long seed) {
    ServingResult r = ServingSimulation.run(options(), workload(seed, 20_000), LinearIterationModel.standard(),
        new KvCapacity(80, 16, 512, 1), KvShareConfig.DEFAULTS.withCacheFraction(0.3));
    assertTrue(r.preemptions() > 0 && (long) r.policyMetrics().get("kvshare_store_evictions") > 0,
        "the case exercises preemption and eviction");
    return render(r) + r.policyMetrics();
  }

  @ParameterizedTest
  @ValueSource(longs = {5, 6})
  void aSeedGivesTheSameRunAndAnotherSeedAnother(long seed) {
    String a = tightRun(seed);
    assertEquals(a, tightRun(seed));
    assertNotEquals(a, tightRun(seed + 100));
  }

  @ParameterizedTest
  @ValueSource(longs = {7, 8, 9})
  void reuseSavesPrefillAndTheTokenAccountsAddUp(long seed) {
    ServingResult base = ServingSimulation.run(options(), workload(seed, 5_000), LinearIterationModel.standard(),
        ROOMY);
    ServingResult kv = ServingSimulation.run(options(), workload(seed, 5_000), LinearIterationModel.standard(), ROOMY,
        KvShareConfig.DEFAULTS);
    Map<String, Object> p = kv.policyMetrics();
    long reused = (long) p.get("kvshare_reused_tokens");
    long prefillRecomputed = (long) p.get("kvshare_prefill_recomputed_tokens");
    long decodeRecomputed = (long) p.get("kvshare_decode_recomputed_tokens");
    assertEquals(0, kv.preemptions(), "roomy: every prompt prefilled once");
    assertEquals(base.prefillTokens(), kv.prefillTokens() + kv.prefixCacheHitTokens(),
        "computed + reused = every prompt token");
    assertEquals(reused - prefillRecomputed, kv.prefixCacheHitTokens());
    assertEquals(reused - prefillRecomputed - decodeRecomputed, (long) p.get("kvshare_tokens_saved"));
    assertTrue(reused > 0 && decodeRecomputed > 0);
    double hit = (double) p.get("kvshare_mean_hit_rate");
    assertTrue(hit > 0 && hit < 1, "hit rate " + hit);
    assertTrue(kv.ttft().meanMs() < base.ttft().meanMs());
    assertEquals(base.generatedTokens(), kv.generatedTokens());
  }

  @Test
  void aFragmentIsReusedOnlyOnceItsPrefillHasFinishedAndWhileItIsStored() {
    // capacity 2000 blocks x 0.2 = 400 blocks of store; fragments of 3000 tokens = 188 blocks: two fit
    List<RequestSpec> specs = new ArrayList<>();
    int[] order = {1, 1, 2, 3, 1};
    for (int i = 0; i < order.length; i++) {
      specs.add(RequestSpec.withFragments(i, i * 1e9, 3100, 1, List.of(new PromptFragment(order[i], 0, 3000))));
    }
    specs.add(RequestSpec.withFragments(5, 5e9, 3100, 1, List.of(new PromptFragment(1, 0, 3000))));
    specs.add(RequestSpec.withFragments(6, 5e9 + 1, 3100, 1, List.of(new PromptFragment(4, 0, 3000))));
    specs.add(RequestSpec.withFragments(7, 5e9 + 2, 3100, 1, List.of(new PromptFragment(4, 0, 3000))));
    ServingResult r = ServingSimulation.run(ServingOptions.DEFAULTS, ListSource.open(specs.toArray(RequestSpec[]::new)),
        LinearIterationModel.standard(), ROOMY, NO_SCHEDULER);
    int skip = 3000 - 600;
    // 0 stores 1; 1 reuses 1; 2 stores 2; 3 stores 3, evicting 1 (least recent); 4 misses 1 and stores it, evicting 2;
    // 5 reuses 1; 6 and 7 arrive together and run together: 7 cannot reuse what 6 has not finished
    int[] expected = {0, skip, 0, 0, 0, skip, 0, 0};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], r.perRequest().get(i).cachedTokens(), "request " + i);
    }
    assertEquals(3L, r.policyMetrics().get("kvshare_store_evictions"));
  }

  @Test
  void kvShareWithPrefixCachingIsAnInputError() {
    InputException e = assertThrows(InputException.class, () -> ServingSimulation.run(
        ServingOptions.DEFAULTS.withEnablePrefixCaching(true), pair(100, 2), LinearIterationModel.standard(), ROOMY,
        KvShareConfig.DEFAULTS));
    assertTrue(e.getMessage().contains("enable-prefix-caching"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.5, Double.NaN})
  void aRecomputeRatioOutsideZeroOneNamesTheKey(double r) {
    InputException e = assertThrows(InputException.class, () -> KvShareConfig.DEFAULTS.withRecomputeRatio(r));
    assertTrue(e.getMessage().contains("kvshare-recompute-ratio"), e.getMessage());
  }
}
