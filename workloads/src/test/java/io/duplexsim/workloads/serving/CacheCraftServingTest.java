package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.serving.cachecraft.CacheCraft;
import io.duplexsim.workloads.serving.cachecraft.CacheCraftConfig;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.ChunkPopularity;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RagRequests;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cache-Craft inside the serving engine, on a reduced RAG workload (64-token chunks, a linear cost model). */
class CacheCraftServingTest {
  private static final int CHUNK = 64;
  private static final int LAYERS = 32;

  private static RagRequests rag(int n, long seed) {
    return new RagRequests(n, new ChunkPopularity(40, 0.05, 0.6), 3, CHUNK, new LengthDistribution.Uniform(8, 40),
        new LengthDistribution.Uniform(1, 30), new ArrivalProcess.Poisson(20_000), seed);
  }

  private static CacheCraftConfig config(long seed) {
    return new CacheCraftConfig(true, 5, 1, 0, 1, CHUNK, 12, 0.5, 0.2, 0.0002, 0.0005, 64, 16, seed);
  }

  private static ServingPolicies cacheCraft(long seed) {
    return ServingPolicies.NONE.withCacheCraft(new CacheCraft(config(seed), LAYERS));
  }

  /** The result as the command line prints it, without the policy's own keys, plus both CSVs. */
  private static String core(ServingResult r) {
    Map<String, Object> m = new LinkedHashMap<>(r.toJson());
    m.keySet().removeIf(k -> k.startsWith("cache_craft_"));
    StringWriter w = new StringWriter();
    ServingCsv.writeRequests(r, w);
    ServingCsv.writeIterations(r, w);
    return m + "\n" + w;
  }

  @ParameterizedTest
  @CsvSource({"RECOMPUTE, true, 400", "RECOMPUTE, true, 30", "SWAP, true, 30", "RECOMPUTE, false, 30",
      "SWAP, false, 400"})
  void withReuseDisabledItIsExactlyTheEngineWithoutIt(PreemptionMode mode, boolean chunked, long blocks) {
    ServingOptions o = ServingOptions.DEFAULTS.withMaxNumSeqs(8).withMaxNumBatchedTokens(chunked ? 96 : 512)
        .withEnableChunkedPrefill(chunked).withPreemptionMode(mode);
    KvCapacity kv = new KvCapacity(blocks, 16, 512, 1);
    LinearIterationModel plain = LinearIterationModel.standard();
    LinearIterationModel off = LinearIterationModel.standard();
    ServingResult a = ServingSimulation.run(o, rag(80, 5), plain, kv);
    ServingResult b = ServingSimulation.run(o, rag(80, 5), off, kv,
        ServingPolicies.NONE.withCacheCraft(new CacheCraft(config(5).withReuse(false), LAYERS)));
    assertEquals(plain.batches, off.batches);
    assertEquals(core(a), core(b));
    assertEquals(0L, b.policyMetrics().get("cache_craft_chunk_lookups"));
    if (blocks == 30) {
      assertTrue(a.preemptions() > 0, "the tight case preempts");
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void reusedAndComputedTokensAccountForEveryPromptToken(long seed) {
    KvCapacity kv = new KvCapacity(400, 16, 512, 1);
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult base = ServingSimulation.run(ServingOptions.DEFAULTS, rag(120, seed), LinearIterationModel.standard(),
        kv);
    ServingResult cc = ServingSimulation.run(ServingOptions.DEFAULTS, rag(120, seed), m, kv, cacheCraft(seed));
    assertEquals(0, cc.preemptions());
    long prompts = base.perRequest().stream().mapToLong(RequestRecord::inputTokens).sum();
    assertEquals(prompts, base.prefillTokens());
    Map<String, Object> p = cc.policyMetrics();
    long reused = (long) p.get("cache_craft_chunk_tokens_reused");
    long recomputed = (long) p.get("cache_craft_chunk_tokens_recomputed");
    long missed = (long) p.get("cache_craft_chunk_tokens_computed_on_miss");
    assertEquals(120L * 3 * CHUNK, reused + recomputed + missed);
    assertEquals(prompts - reused, cc.prefillTokens(), "computed = prompts - reused");
    assertEquals(reused, cc.prefixCacheHitTokens(), "prefill_tokens_reused is Cache-Craft's");
    assertEquals(reused, cc.perRequest().stream().mapToLong(RequestRecord::cachedTokens).sum());
    assertTrue(reused > 0 && recomputed > 0);
    // the batches hold exactly the computed prefill tokens, early-terminated ones among them
    long prefill = 0;
    long stopped = 0;
    for (IterationBatch b : m.batches) {
      for (BatchEntry e : b.entries()) {
        if (e.phase() == io.duplexsim.workloads.compiler.Phase.PREFILL) {
          prefill += e.tokens();
          stopped += e.layers() == 12 ? e.tokens() : 0;
        }
      }
    }
    assertEquals(cc.prefillTokens(), prefill);
    assertEquals((long) p.get("cache_craft_chunk_tokens_recomputed_early_terminated"), stopped);
    assertTrue(stopped > 0);
    assertEquals(prefill - stopped * (1 - 12.0 / LAYERS), (double) p.get("cache_craft_prefill_tokens_layer_weighted"),
        1e-6);
    assertTrue((double) p.get("cache_craft_hit_rate_dram") > 0, "small HBM slice: some hits come over PCIe");
    assertTrue((double) p.get("cache_craft_transfer_time_s") > 0);
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
    KvCapacity kv = new KvCapacity(200, 16, 512, 1);
    ServingResult a = ServingSimulation.run(ServingOptions.DEFAULTS, rag(60, 4), LinearIterationModel.standard(), kv,
        cacheCraft(4));
    ServingResult b = ServingSimulation.run(ServingOptions.DEFAULTS, rag(60, 4), LinearIterationModel.standard(), kv,
        cacheCraft(4));
    ServingResult c = ServingSimulation.run(ServingOptions.DEFAULTS, rag(60, 9), LinearIterationModel.standard(), kv,
        cacheCraft(9));
    assertEquals(a.toJson(), b.toJson());
    assertEquals(core(a), core(b));
    assertNotEquals(a.toJson(), c.toJson());
  }

  /** Prompts whose chunks repeat, but never the leading one: prefix caching has nothing to reuse. */
  private static ListSource noSharedLead() {
    List<RequestSpec> specs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      List<String> ids = List.of("lead" + i, "k" + (i % 3), "k" + ((i + 1) % 3));
      IntArrayList tokens = new IntArrayList();
      for (String id : ids) {
        for (int t = 0; t < CHUNK; t++) {
          tokens.add(Math.floorMod(id.hashCode() * 31 + t, 100_000));
        }
      }
      for (int t = 0; t < 20; t++) {
        tokens.add(100_000 + i * 20 + t);
      }
      specs.add(new RequestSpec(i, i * 1e6, 3 * CHUNK + 20, 5, tokens, null, ids));
    }
    return ListSource.open(specs.toArray(RequestSpec[]::new));
  }

  @Test
  void prefixCachingSavesNothingWithoutSharedLeadsWhereChunkCachesDo() {
    KvCapacity kv = new KvCapacity(400, 16, 512, 1);
    ServingResult off = ServingSimulation.run(ServingOptions.DEFAULTS, noSharedLead(), LinearIterationModel.standard(),
        kv);
    ServingResult prefix = ServingSimulation.run(ServingOptions.DEFAULTS.withEnablePrefixCaching(true), noSharedLead(),
        LinearIterationModel.standard(), kv);
    ServingResult cc = ServingSimulation.run(ServingOptions.DEFAULTS, noSharedLead(), LinearIterationModel.standard(),
        kv, cacheCraft(1));
    assertEquals(0, prefix.prefixCacheHitTokens());
    assertEquals(off.prefillTokens(), prefix.prefillTokens());
    assertEquals(off.simTimeNs(), prefix.simTimeNs());
    assertTrue(cc.prefillTokens() < off.prefillTokens(), cc.prefillTokens() + " vs " + off.prefillTokens());
  }

  @Test
  void cacheCraftAndPrefixCachingAreAlternatives() {
    InputException e = assertThrows(InputException.class, () -> ServingSimulation.run(
        ServingOptions.DEFAULTS.withEnablePrefixCaching(true), rag(2, 1), LinearIterationModel.standard(),
        new KvCapacity(400, 16, 512, 1), cacheCraft(1)));
    assertTrue(e.getMessage().contains("enable-prefix-caching"));
  }
}
