package io.duplexsim.validation.run;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.serving.cachecraft.CacheCraft;
import io.duplexsim.workloads.serving.cachecraft.CacheCraftConfig;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.ChunkPopularity;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RagRequests;
import io.duplexsim.workloads.serving.requests.RequestSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The scenario keys of Cache-Craft (cache-craft-*) and of the RAG workload generator (rag-*), read from a
 * {@link Scenario}'s values. A RAG workload's prompt is rag-chunks-per-prompt chunks of rag-chunk-tokens
 * followed by an input-len question; output-len, requests, arrival and seed keep their meaning.
 */
public final class CacheCraftScenario {
  private CacheCraftScenario() {}

  /** The keys and their defaults (the paper's setting; see {@link CacheCraftConfig#defaults(long)}). */
  static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("cache-craft", "false");
    d.put("cache-craft-reuse", "true");
    d.put("cache-craft-variants", "5");
    d.put("cache-craft-alpha", "1");
    d.put("cache-craft-cci", "uniform:0,1");
    d.put("cache-craft-early-termination-layers", "12");
    d.put("cache-craft-unfocused-fraction", "0.5");
    d.put("cache-craft-hbm-fraction", "0.2");
    d.put("cache-craft-dram-gb", "256");
    d.put("cache-craft-nvme-gb", "2000");
    d.put("cache-craft-pcie-gbps", "64");
    d.put("cache-craft-nvme-gbps", "16");
    d.put("rag-corpus-chunks", "0");
    d.put("rag-chunks-per-prompt", "5");
    d.put("rag-chunk-tokens", "512");
    d.put("rag-hot-fraction", "0.05");
    d.put("rag-hot-share", "0.6");
    return d;
  }

  /** The policy the scenario asks for, or null with cache-craft false. */
  public static CacheCraft policy(Scenario s, ModelSpec model) {
    if (!s.bool("cache-craft")) {
      return null;
    }
    double[] cci = CacheCraftConfig.parseCci(s.text("cache-craft-cci"), "cache-craft-cci");
    CacheCraftConfig c = new CacheCraftConfig(s.bool("cache-craft-reuse"), s.positiveInt("cache-craft-variants"),
        s.nonNegativeDouble("cache-craft-alpha"), cci[0], cci[1], s.positiveInt("rag-chunk-tokens"),
        nonNegativeInt(s, "cache-craft-early-termination-layers"), s.fraction("cache-craft-unfocused-fraction"),
        s.fraction("cache-craft-hbm-fraction"), s.nonNegativeDouble("cache-craft-dram-gb"),
        s.nonNegativeDouble("cache-craft-nvme-gb"), s.nonNegativeDouble("cache-craft-pcie-gbps"),
        s.nonNegativeDouble("cache-craft-nvme-gbps"), s.seed());
    return new CacheCraft(c, model.layers());
  }

  /** The RAG workload, or null when rag-corpus-chunks is 0 (another workload). */
  public static RequestSource ragRequests(Scenario s) {
    int corpus = nonNegativeInt(s, "rag-corpus-chunks");
    if (corpus == 0) {
      return null;
    }
    String arrival = s.arrival().trim().toLowerCase(Locale.ROOT).equals("closed")
        ? "closed:" + s.maxNumSeqs() : s.arrival();
    return new RagRequests(s.requests(), new ChunkPopularity(corpus, s.fraction("rag-hot-fraction"),
        s.fraction("rag-hot-share")), s.positiveInt("rag-chunks-per-prompt"), s.positiveInt("rag-chunk-tokens"),
        LengthDistribution.parse(s.inputLen(), "input-len"), LengthDistribution.parse(s.outputLen(), "output-len"),
        ArrivalProcess.parse(arrival, "arrival"), s.seed());
  }

  private static int nonNegativeInt(Scenario s, String key) {
    try {
      int x = Integer.parseInt(s.text(key).trim());
      if (x >= 0) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputException(key + " must be a non-negative integer, got '" + s.text(key) + "'");
  }
}
