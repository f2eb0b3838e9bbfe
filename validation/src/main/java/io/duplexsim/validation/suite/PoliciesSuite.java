package io.duplexsim.validation.suite;

import io.duplexsim.sim.InputException;
import io.duplexsim.validation.run.Scenario;
import io.duplexsim.workloads.serving.ServingResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Directional checks of the serving policies against their papers (policies.md), each run from its
 * bundled scenario in {@code scenarios/policies/} (packaged into the jar) with the overrides that make
 * the comparison: the policy on and off, across loads. The published numbers come from other hardware
 * and workloads, so tolerances are wide (25% for ratios) and what matters most is the direction; the
 * notes say what was compared.
 */
public final class PoliciesSuite implements ValidationSuite {
  public static final String NAME = "policies";
  static final int[] KVSHARE_QPS = {5, 10, 20, 30};
  static final List<String> QUANT_FORMATS = List.of("bf16", "fp8", "int4");
  static final int[] SPEC_RATES = {1, 4, 32};
  static final List<String> SPEC_MODES = List.of("none", "fixed-k", "smartspec");
  static final List<String> CACHE_CRAFT_MODELS = List.of("8b", "70b");
  static final List<String> CACHE_CRAFT_POLICIES = List.of("full-recompute", "prefix-caching", "cache-craft");

  private final String fidelity;

  public PoliciesSuite(String fidelity) {
    this.fidelity = fidelity;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String fidelity() {
    return fidelity;
  }

  @Override
  public Map<String, Scenario> runs() {
    Map<String, Scenario> runs = new LinkedHashMap<>();
    for (int qps : KVSHARE_QPS) {
      String arrival = "poisson:" + qps;
      runs.put("kvshare/full/qps" + qps, scenario("llama3-8b-kvshare.yaml", "kvshare", "false", "arrival", arrival));
      runs.put("kvshare/on/qps" + qps, scenario("llama3-8b-kvshare.yaml", "arrival", arrival));
      runs.put("kvshare/fcfs/qps" + qps, scenario("llama3-8b-kvshare.yaml", "arrival", arrival,
          "kvshare-cache-aware-scheduler", "false"));
    }
    runs.put("kvshare/full/closed", scenario("llama3-8b-kvshare.yaml", "kvshare", "false", "arrival", "closed",
        "requests", "400"));
    runs.put("kvshare/on/closed", scenario("llama3-8b-kvshare.yaml", "arrival", "closed", "requests", "400"));
    runs.put("recursive/vanilla", scenario("gemma-2b-vanilla.yaml"));
    runs.put("recursive/depthwise", scenario("gemma-2b-recursive-depthwise.yaml"));
    for (String format : QUANT_FORMATS) {
      runs.put("quant/single/" + format, scenario("llama3-70b-single-query.yaml", "weight-format", format));
      runs.put("quant/throughput/" + format, scenario("llama3-70b-high-throughput.yaml", "weight-format", format));
    }
    for (String m : CACHE_CRAFT_MODELS) {
      for (String p : CACHE_CRAFT_POLICIES) {
        runs.put("cachecraft/" + m + "/" + p, scenario("llama3-" + m + "-rag-" + p + ".yaml"));
      }
    }
    for (String mode : SPEC_MODES) {
      String file = "llama3-8b-speculative-" + mode + ".yaml";
      for (int rate : SPEC_RATES) {
        runs.put("spec/" + mode + "/rate" + rate, scenario(file, "arrival", "poisson:" + rate));
      }
      runs.put("spec/" + mode + "/closed256", scenario(file, "arrival", "closed", "max-num-seqs", "256", "requests",
          "1024"));
    }
    return runs;
  }

  @Override
  public List<CheckResult> evaluate(Map<String, ServingResult> r) {
    List<CheckResult> out = new ArrayList<>();
    kvShare(r, out);
    speculation(r, out);
    recursive(r, out);
    quantization(r, out);
    cacheCraft(r, out);
    return out;
  }

  private void cacheCraft(Map<String, ServingResult> r, List<CheckResult> out) {
    String src = "Cache-Craft (arXiv 2502.15734)";
    ToDoubleFunction<ServingResult> computed = x -> x.prefillTokens();
    for (String m : CACHE_CRAFT_MODELS) {
      String k = "cachecraft/" + m + "/";
      String setup = "; Llama-3-" + m.toUpperCase(java.util.Locale.ROOT) + ", scenarios/policies/llama3-" + m
          + "-rag-*.yaml (RAG, 5 x 512-token chunks, top 5% of 2000 chunks get 60%, ~600 output tokens, closed loop"
          + " of 32)";
      out.add(new CheckResult(NAME, "cachecraft." + m + ".redundant-compute-vs-prefix", src, 0.49,
          value(r, k + "cache-craft", computed) / value(r, k + "prefix-caching", computed), 0.25,
          "prefill tokens computed, Cache-Craft / prefix caching (the paper: -51%)" + setup));
      out.add(new CheckResult(NAME, "cachecraft." + m + ".redundant-compute-vs-full", src, 0.25,
          value(r, k + "cache-craft", computed) / value(r, k + "full-recompute", computed), 0.25,
          "prefill tokens computed, Cache-Craft / full recomputation (the paper: -75%)" + setup));
      out.add(new CheckResult(NAME, "cachecraft." + m + ".throughput-vs-prefix", src, 1.6,
          value(r, k + "cache-craft", ServingResult::throughputTokensPerS)
              / value(r, k + "prefix-caching", ServingResult::throughputTokensPerS), 0.25,
          "tokens/s Cache-Craft / prefix caching" + setup));
    }
  }

  private void kvShare(Map<String, ServingResult> r, List<CheckResult> out) {
    String src = "KVShare (arXiv 2503.16525)";
    ToDoubleFunction<ServingResult> ttft = x -> x.ttft().p50Ms();
    double best = Double.NaN;
    int bestQps = 0;
    double schedulerCut = Double.NaN;
    for (int qps : KVSHARE_QPS) {
      double ratio = value(r, "kvshare/full/qps" + qps, ttft) / value(r, "kvshare/on/qps" + qps, ttft);
      if (Double.isNaN(best) || ratio > best) {
        best = ratio;
        bestQps = qps;
      }
      double cut = 1 - value(r, "kvshare/on/qps" + qps, ttft) / value(r, "kvshare/fcfs/qps" + qps, ttft);
      schedulerCut = Double.isNaN(schedulerCut) || cut > schedulerCut ? cut : schedulerCut;
    }
    out.add(new CheckResult(NAME, "kvshare.ttft-vs-full.max", src, 9.39, best, 0.25,
        "median TTFT full KV recomputation / KVShare, best of Poisson 5-30 QPS (at " + bestQps + "); Llama-3-8B on one"
            + " H100-class GPU (the paper: one L40S), a synthetic multi-tenant workload with mean hit rate ~0.76"));
    out.add(new CheckResult(NAME, "kvshare.throughput-vs-full", src, 1.2,
        value(r, "kvshare/on/closed", ServingResult::throughputTokensPerS)
            / value(r, "kvshare/full/closed", ServingResult::throughputTokensPerS), 0.25,
        "tokens/s KVShare / full recomputation, closed loop of 128"));
    out.add(new CheckResult(NAME, "kvshare.scheduler-ttft-cut.max", src, 0.338, schedulerCut, 0.25,
        "1 - median TTFT with the cache-aware scheduler / first come first served, best of 5-30 QPS"));
  }

  private void speculation(Map<String, ServingResult> r, List<CheckResult> out) {
    String src = "SmartSpec (arXiv 2406.14066)";
    ToDoubleFunction<ServingResult> e2e = x -> x.e2e().meanMs();
    double best = Double.NaN;
    int at = 0;
    for (int rate : SPEC_RATES) {
      double ratio = value(r, "spec/none/rate" + rate, e2e) / value(r, "spec/smartspec/rate" + rate, e2e);
      if (Double.isNaN(best) || ratio > best) {
        best = ratio;
        at = rate;
      }
    }
    out.add(new CheckResult(NAME, "smartspec.latency-vs-none.max", src, 3.2, best, 0.25,
        "mean E2E latency without speculation / with SmartSpec, best of Poisson 1, 4, 32 req/s (at " + at + "); "
            + "Llama-3-8B with a Llama-3.2-1B draft on one GPU, k <= 5, acceptance 0.7 per token (an input, not "
            + "measured)"));
    ToDoubleFunction<ServingResult> thr = ServingResult::throughputTokensPerS;
    double fixed = value(r, "spec/fixed-k/closed256", thr);
    double none = value(r, "spec/none/closed256", thr);
    out.add(CheckResult.claim(NAME, "smartspec.fixed-k-worse-than-none-at-high-load", src, fixed < none,
        String.format(java.util.Locale.ROOT, "closed loop of 256: tokens/s fixed k = 5 %.0f, none %.0f", fixed, none)));
  }

  private void recursive(Map<String, ServingResult> r, List<CheckResult> out) {
    ToDoubleFunction<ServingResult> thr = ServingResult::throughputTokensPerS;
    out.add(new CheckResult(NAME, "recursive.depthwise-throughput-vs-vanilla", "Relaxed Recursive Transformers "
        + "(arXiv 2410.20672)", 2.5, value(r, "recursive/depthwise", thr) / value(r, "recursive/vanilla", thr), 0.2,
        "tokens/s of recursive Gemma-2B (9 shared layers x 2 loops, rank-64 LoRA, depth-wise batching, exit "
            + "probability 0.5 after loop 1: an assumption, the paper uses oracle exits) over vanilla Gemma-2B; "
            + "published 2-3x, so 2.5 +- 20%"));
  }

  private void quantization(Map<String, ServingResult> r, List<CheckResult> out) {
    String src = "Give Me BF16 or Give Me Death (arXiv 2411.02355)";
    ToDoubleFunction<ServingResult> thr = ServingResult::throughputTokensPerS;
    double single4 = value(r, "quant/single/int4", thr) / value(r, "quant/single/bf16", thr);
    double single8 = value(r, "quant/single/fp8", thr) / value(r, "quant/single/bf16", thr);
    double many4 = value(r, "quant/throughput/int4", thr) / value(r, "quant/throughput/bf16", thr);
    double many8 = value(r, "quant/throughput/fp8", thr) / value(r, "quant/throughput/bf16", thr);
    out.add(CheckResult.claim(NAME, "quantization.w4a16-best-single-query", src, single4 > single8,
        String.format(java.util.Locale.ROOT, "Llama-3-70B on 4 GPUs, one request at a time: tokens/s over BF16, "
            + "W4A16 %.2fx, W8A8-FP8 %.2fx", single4, single8)));
    out.add(CheckResult.claim(NAME, "quantization.w8a8-best-high-throughput", src, many8 > many4,
        String.format(java.util.Locale.ROOT, "Llama-3-70B on 4 GPUs, up to 1024 requests at once: tokens/s over "
            + "BF16, W8A8-FP8 %.2fx, W4A16 %.2fx", many8, many4)));
  }

  private static double value(Map<String, ServingResult> r, String key, ToDoubleFunction<ServingResult> f) {
    ServingResult x = r.get(key);
    return x == null ? Double.NaN : f.applyAsDouble(x);
  }

  /** A bundled policy scenario with overrides (key, value pairs), at this suite's fidelity. */
  private Scenario scenario(String file, String... overrides) {
    Map<String, String> v = Scenario.defaults();
    v.putAll(Scenario.read(file, bundled(file)));
    for (int i = 0; i < overrides.length; i += 2) {
      v.put(overrides[i], overrides[i + 1]);
    }
    v.put("fidelity", fidelity);
    return Scenario.of(v);
  }

  static String bundled(String file) {
    try (InputStream in = PoliciesSuite.class.getResourceAsStream("/scenarios/policies/" + file)) {
      if (in == null) {
        throw new InputException("scenarios/policies/" + file + " is not bundled in this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException("scenarios/policies/" + file + ": " + e.getMessage(), e);
    }
  }
}
