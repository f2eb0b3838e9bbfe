package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import io.duplexsim.workloads.serving.requests.SharedPrefix;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PrefixCachingTest {
  private static final ServingOptions ON = ServingOptions.DEFAULTS.withEnablePrefixCaching(true);
  private static final KvCapacity ROOMY = new KvCapacity(1000, 16, 512, 1);

  /** Requests one after another (far apart), each a 512-token shared prefix plus 64 tokens of its own. */
  private static ListSource sequential(int n) {
    RequestSpec[] specs = new RequestSpec[n];
    for (int i = 0; i < n; i++) {
      specs[i] = RequestSpec.withPrefix(i, i * 1e8, 512 + 64, 8, "system", 512);
    }
    return ListSource.open(specs);
  }

  @Test
  void laterRequestsPrefillOnlyTheirSuffix() {
    LinearIterationModel mOn = LinearIterationModel.standard();
    LinearIterationModel mOff = LinearIterationModel.standard();
    ServingResult on = ServingSimulation.run(ON, sequential(5), mOn, ROOMY);
    ServingResult off = ServingSimulation.run(ServingOptions.DEFAULTS, sequential(5), mOff, ROOMY);

    Map<Long, Integer> prefilled = new HashMap<>();
    Map<Long, Integer> firstStart = new HashMap<>();
    for (IterationBatch b : mOn.batches) {
      for (BatchEntry e : b.entries()) {
        if (e.phase() == Phase.PREFILL) {
          prefilled.merge(e.requestId(), e.tokens(), Integer::sum);
          firstStart.putIfAbsent(e.requestId(), e.kvLength() - e.tokens());
        }
      }
    }
    assertEquals(576, prefilled.get(0L), "the first request finds nothing cached");
    assertEquals(0, firstStart.get(0L));
    for (long id = 1; id < 5; id++) {
      assertEquals(64, prefilled.get(id), "request " + id + " prefills only its own tokens");
      assertEquals(512, firstStart.get(id), "and attends the cached prefix");
      RequestRecord on1 = on.perRequest().get((int) id);
      assertEquals(512, on1.cachedTokens());
      assertTrue(on1.ttftNs() < off.perRequest().get((int) id).ttftNs(), "TTFT drops");
    }
    assertEquals(4 * 512, on.prefixCacheHitTokens());
    assertEquals(5 * 576, on.prefixCacheQueryTokens());
    assertEquals(4 * 512.0 / (5 * 576), on.prefixCacheHitRate(), 1e-12);
    assertEquals(576 + 4 * 64, on.prefillTokens());
    assertEquals(5 * 576, off.prefillTokens());
    assertEquals(0, off.prefixCacheHitTokens());
    assertEquals(off.generatedTokens(), on.generatedTokens());
    assertEquals(off.requests(), on.requests());
  }

  @Test
  void aFullyCachedPromptStillComputesItsLastBlock() {
    ListSource src = ListSource.open(RequestSpec.withPrefix(0, 0, 512, 4, "p", 512),
        RequestSpec.withPrefix(1, 1e8, 512, 4, "p", 512));
    ServingResult r = ServingSimulation.run(ON, src, LinearIterationModel.standard(), ROOMY);
    // the last prompt token must run to give the first output token's logits: 31 of 32 blocks are reused
    assertEquals(496, r.perRequest().get(1).cachedTokens());
    assertEquals(512 + 16, r.prefillTokens());
  }

  @Test
  void concurrentRequestsShareCachedBlocksAndCountThemOnce() {
    // request 0 fills the prefix; 1 and 2 arrive while 0 still decodes and share its 32 prefix blocks
    ListSource src = ListSource.open(RequestSpec.withPrefix(0, 0, 576, 200, "p", 512),
        RequestSpec.withPrefix(1, 1e6, 576, 200, "p", 512), RequestSpec.withPrefix(2, 1e6, 576, 200, "p", 512));
    ServingResult r = ServingSimulation.run(ON, src, LinearIterationModel.standard(), ROOMY);
    ServingResult off = ServingSimulation.run(ServingOptions.DEFAULTS, ListSource.open(
        RequestSpec.withPrefix(0, 0, 576, 200, "p", 512), RequestSpec.withPrefix(1, 1e6, 576, 200, "p", 512),
        RequestSpec.withPrefix(2, 1e6, 576, 200, "p", 512)), LinearIterationModel.standard(), ROOMY);
    assertTrue(off.kvPeakBlocks() > 2 * ROOMY.blocksFor(576 + 199), "all three hold KV at the peak");
    assertEquals(off.kvPeakBlocks() - 2 * 32, r.kvPeakBlocks(), "the 32 shared prefix blocks count once");
    assertEquals(2 * 512, r.prefixCacheHitTokens());
  }

  @Test
  void noSharedPrefixSavesNothingAndChangesNothing() {
    // no preemption here (roomy KV), so no request can even hit its own blocks again
    SyntheticRequests a = new SyntheticRequests(40, new LengthDistribution.Uniform(1, 300),
        new LengthDistribution.Uniform(1, 50), new ArrivalProcess.Poisson(20_000), 5);
    SyntheticRequests b = new SyntheticRequests(40, new LengthDistribution.Uniform(1, 300),
        new LengthDistribution.Uniform(1, 50), new ArrivalProcess.Poisson(20_000), 5);
    ServingResult on = ServingSimulation.run(ON, a, LinearIterationModel.standard(), ROOMY);
    ServingResult off = ServingSimulation.run(ServingOptions.DEFAULTS, b, LinearIterationModel.standard(), ROOMY);
    assertEquals(0, on.prefixCacheHitTokens());
    assertTrue(on.prefixCacheQueryTokens() > 0);
    assertEquals(off.toJson(), on.toJson());
  }

  @Test
  void syntheticSharedPrefixHitRateIsPrefixOverPrompt() {
    // one request at a time: after the first, every prompt finds its 512 prefix tokens
    SyntheticRequests src = new SyntheticRequests(20, new LengthDistribution.Fixed(64), new LengthDistribution.Fixed(4),
        new ArrivalProcess.Closed(1), new SharedPrefix(512, 1), 9);
    ServingResult r = ServingSimulation.run(ON, src, LinearIterationModel.standard(), ROOMY);
    assertEquals(19 * 512.0 / (20 * 576), r.prefixCacheHitRate(), 1e-12);
    assertEquals(512.0 / 576, 19 * 512.0 / (19 * 576), 1e-12);
    for (RequestRecord q : r.perRequest()) {
      assertEquals(576, q.inputTokens(), "the prefix is prepended to the sampled input");
      assertEquals(q.id() == 0 ? 0 : 512, q.cachedTokens());
    }
  }

  @Test
  void sharedPrefixChoiceIsSeededAndLeavesTheOtherStreamsAlone() {
    SyntheticRequests plain = new SyntheticRequests(50, new LengthDistribution.Uniform(1, 100),
        new LengthDistribution.Uniform(1, 100), new ArrivalProcess.Poisson(1000), 4);
    SyntheticRequests withPrefix = new SyntheticRequests(50, new LengthDistribution.Uniform(1, 100),
        new LengthDistribution.Uniform(1, 100), new ArrivalProcess.Poisson(1000), new SharedPrefix(128, 3), 4);
    SyntheticRequests again = new SyntheticRequests(50, new LengthDistribution.Uniform(1, 100),
        new LengthDistribution.Uniform(1, 100), new ArrivalProcess.Poisson(1000), new SharedPrefix(128, 3), 4);
    Map<String, Integer> uses = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      RequestSpec p = plain.next();
      RequestSpec w = withPrefix.next();
      assertEquals(w, again.next());
      assertEquals(p.inputTokens() + 128, w.inputTokens());
      assertEquals(p.outputTokens(), w.outputTokens());
      assertEquals(p.arrivalNs(), w.arrivalNs());
      assertEquals(128, w.prefixTokens());
      uses.merge(w.prefixId(), 1, Integer::sum);
    }
    assertEquals(3, uses.size(), "all three prefixes are drawn: " + uses);
  }

  /** Tight KV, shared prefixes, preemptions: capacity holds every iteration and the run is reproducible. */
  @ParameterizedTest
  @EnumSource(PreemptionMode.class)
  void randomWorkloadKeepsCapacityAndIsDeterministic(PreemptionMode mode) {
    for (long seed = 1; seed <= 6; seed++) {
      ServingOptions o = ON.withMaxNumSeqs(6).withMaxNumBatchedTokens(96).withPreemptionMode(mode);
      long capacity = 24;
      String[] out = new String[2];
      for (int rep = 0; rep < 2; rep++) {
        LinearIterationModel m = LinearIterationModel.standard();
        SyntheticRequests src = new SyntheticRequests(60, new LengthDistribution.Uniform(1, 96),
            new LengthDistribution.Zipf(0.8, 1, 60), new ArrivalProcess.Poisson(50_000), new SharedPrefix(64, 3), seed);
        ServingResult r = ServingSimulation.run(o, src, m, new KvCapacity(capacity, 16, 512, 1));
        assertEquals(60, r.requests());
        assertTrue(r.kvPeakBlocks() <= capacity);
        for (int i = 0; i < r.iterations(); i++) {
          assertTrue(r.iterationLog().kvBlocks(i) <= capacity, "KV capacity");
        }
        for (IterationBatch b : m.batches) {
          assertTrue(b.tokens() <= 96, "token budget");
        }
        assertTrue(r.preemptions() > 0, "seed " + seed + ": memory is tight enough to preempt");
        assertTrue(r.prefixCacheHitTokens() > 0, "seed " + seed + ": the shared prefixes are reused");
        StringWriter w = new StringWriter();
        ServingCsv.writeRequests(r, w);
        ServingCsv.writeIterations(r, w);
        out[rep] = r.toJson() + "\n" + w;
      }
      assertEquals(out[0], out[1], "same seed, same result");
    }
  }

  @Test
  void blockHashesChainTokenIdsAndPrefixes() {
    IntArrayList t1 = new IntArrayList();
    for (int i = 0; i < 48; i++) {
      t1.add(i);
    }
    IntArrayList t2 = new IntArrayList(t1);
    t2.set(20, 999); // differs in block 1: blocks 1 and 2 differ, block 0 is shared
    long[] h1 = KvBlockHashes.of(new RequestSpec(0, 0, 48, 1, t1, null, null), 16);
    long[] h2 = KvBlockHashes.of(new RequestSpec(1, 0, 48, 1, t2, null, null), 16);
    assertEquals(3, h1.length);
    assertEquals(h1[0], h2[0]);
    assertTrue(h1[1] != h2[1] && h1[2] != h2[2], "a chained hash differs after the first difference");
    long[] p1 = KvBlockHashes.of(RequestSpec.withPrefix(2, 0, 60, 1, "a", 40), 16);
    long[] p2 = KvBlockHashes.of(RequestSpec.withPrefix(3, 0, 60, 1, "a", 40), 16);
    long[] q = KvBlockHashes.of(RequestSpec.withPrefix(4, 0, 60, 1, "b", 40), 16);
    assertEquals(p1[0], p2[0]);
    assertEquals(p1[1], p2[1]);
    assertTrue(p1[2] != p2[2], "block 2 ends past the 40-token prefix: request-unique");
    assertTrue(p1[0] != q[0], "another prefix id shares nothing");
  }
}
