package io.duplexsim.workloads.serving.cachecraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheCraftTest {
  /** 2 devices, 16-token blocks of 16 KiB per device: 1 KiB per token per device. */
  private static final KvCapacity KV = new KvCapacity(10_000, 16, 16 * 1024, 2);
  private static final int LAYERS = 32;

  private static CacheCraftConfig config(double hbmFraction, double dramGb) {
    return new CacheCraftConfig(true, 5, 1, 0.5, 0.5, 512, 0, 0, hbmFraction, dramGb, 1000, 64, 16, 1);
  }

  private static RequestSpec rag(long id, String... chunks) {
    return new RequestSpec(id, 0, chunks.length * 512 + 10, 4, null, null, List.of(chunks));
  }

  /** Serves one prefill to its end, whole, the way the engine would. */
  private static List<BatchEntry> prefill(CacheCraft cc, RequestSpec spec) {
    ChunkPlan plan = cc.plan(spec, spec.inputTokens());
    cc.admit(plan);
    List<BatchEntry> out = new ArrayList<>();
    int kv = plan.advance(0, Integer.MAX_VALUE);
    cc.addEntries(plan, spec.id(), 0, kv, out);
    cc.progress(plan, kv);
    return out;
  }

  @ParameterizedTest
  @CsvSource({"0, 256, 64", "0, 0, 16"})
  void aLoadFromALowerTierTakesBytesOverBandwidthOverlappedWithCompute(double hbm, double dramGb, double gbps) {
    CacheCraft cc = new CacheCraft(config(hbm, dramGb), LAYERS);
    assertEquals(KV, cc.engineCapacity(KV), "no HBM slice");
    prefill(cc, rag(0, "x"));
    assertEquals(2.0, cc.iterationTimeNs(2.0), "a miss loads nothing");
    List<BatchEntry> second = prefill(cc, rag(1, "x"));
    // x led both prompts: CFO 0, only the question is computed
    assertEquals(List.of(new BatchEntry(1, io.duplexsim.workloads.compiler.Phase.PREFILL, 10, 522)), second);
    double bytesPerDevice = 512 * 1024;
    double transferNs = bytesPerDevice / gbps;
    assertEquals(transferNs + transferNs / LAYERS, cc.iterationTimeNs(1.0), 1e-9, "transfer-bound");
    prefill(cc, rag(2, "x"));
    double compute = 10 * transferNs;
    assertEquals(compute + transferNs / LAYERS, cc.iterationTimeNs(compute), 1e-6, "compute-bound: one layer's fill");
    Map<String, Object> m = cc.metrics();
    String tier = dramGb > 0 ? "dram" : "nvme";
    assertEquals(2 * bytesPerDevice * 2, (double) m.get("cache_craft_bytes_" + tier + "_to_device"), "both devices");
    assertEquals(2 * transferNs / 1e9, (double) m.get("cache_craft_transfer_time_s"), 1e-15);
    assertEquals(2.0 / 3, (double) m.get("cache_craft_hit_rate_" + tier), 1e-15);
  }

  @ParameterizedTest
  @CsvSource({"1.0, 0.5, 0", "0.7, 0.9, 0", "1.0, 0.5, 6"})
  void recomputedTokensAndEarlyTerminationFollowTheCfo(double alpha, double cci, int etLayers) {
    CacheCraftConfig c = new CacheCraftConfig(true, 5, alpha, cci, cci, 512, etLayers, 1.0, 0.5, 10, 10, 64, 16, 3);
    CacheCraft cc = new CacheCraft(c, LAYERS);
    cc.engineCapacity(KV);
    prefill(cc, rag(0, "A", "B", "C"));
    List<BatchEntry> e = prefill(cc, rag(1, "A", "C", "B", "D"));
    int b = CacheFixOverhead.recomputeTokens(CacheFixOverhead.cfo(alpha, cci, List.of("A"), List.of("A", "C")), 512);
    int cTok = CacheFixOverhead.recomputeTokens(CacheFixOverhead.cfo(alpha, cci, List.of("A", "B"), List.of("A")), 512);
    int layers = etLayers > 0 ? etLayers : BatchEntry.ALL_LAYERS;
    List<BatchEntry> expected = new ArrayList<>();
    expected.add(new BatchEntry(1, io.duplexsim.workloads.compiler.Phase.PREFILL, cTok, 1024, layers));
    expected.add(new BatchEntry(1, io.duplexsim.workloads.compiler.Phase.PREFILL, b, 1536, layers));
    expected.add(new BatchEntry(1, io.duplexsim.workloads.compiler.Phase.PREFILL, 512 + 10, 2058));
    assertEquals(expected, e, "A exact, C and B fixed, D missed and merged with the question");
    Map<String, Object> m = cc.metrics();
    assertEquals((long) b + cTok, m.get("cache_craft_chunk_tokens_recomputed"));
    assertEquals(3L * 512 - b - cTok, m.get("cache_craft_chunk_tokens_reused"));
    assertEquals(etLayers > 0 ? (long) b + cTok : 0L, m.get("cache_craft_chunk_tokens_recomputed_early_terminated"));
    assertEquals((double) (b + cTok) / (3 * 512), (double) m.get("cache_craft_recompute_fraction"), 1e-15);
  }

  @ParameterizedTest
  @CsvSource({"-1, cache-craft-variants", "-2, cache-craft-alpha", "-3, cache-craft-cci",
      "-4, cache-craft-early-termination-layers", "-5, cache-craft-unfocused-fraction",
      "-6, cache-craft-hbm-fraction", "-7, cache-craft-pcie-gbps", "-8, rag-chunk-tokens"})
  void badParametersNameTheirKey(int which, String key) {
    InputException e = assertThrows(InputException.class, () -> new CacheCraftConfig(true, which == -1 ? 0 : 5,
        which == -2 ? -1 : 1, which == -3 ? 0.9 : 0, which == -3 ? 0.2 : 1, which == -8 ? 0 : 512,
        which == -4 ? -1 : 12, which == -5 ? 1.5 : 0.5, which == -6 ? 1 : 0.2, 1, 1, which == -7 ? 0 : 64, 16, 1));
    assertTrue(e.getMessage().startsWith(key), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void impossibleRequestsAndLayersNameTheProblem() {
    InputException layers = assertThrows(InputException.class,
        () -> new CacheCraft(CacheCraftConfig.defaults(1).withReuse(true), 12));
    assertTrue(layers.getMessage().startsWith("cache-craft-early-termination-layers"), layers.getMessage());
    CacheCraft cc = new CacheCraft(CacheCraftConfig.defaults(1), LAYERS);
    cc.engineCapacity(KV);
    RequestSpec tooShort = new RequestSpec(7, 0, 1024, 4, null, null, List.of("a", "b"));
    InputException e = assertThrows(InputException.class, () -> cc.plan(tooShort, 1024));
    assertTrue(e.getMessage().contains("rag-chunk-tokens"), e.getMessage());
    assertThrows(InputException.class, () -> CacheCraftConfig.parseCci("uniform:0.5,0.2", "cache-craft-cci"));
    assertEquals(List.of(0.3, 0.3), java.util.Arrays.stream(CacheCraftConfig.parseCci("0.3", "k")).boxed().toList());
  }
}
