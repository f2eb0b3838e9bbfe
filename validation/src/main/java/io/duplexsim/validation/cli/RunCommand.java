package io.duplexsim.validation.cli;

import io.duplexsim.sim.InputException;
import io.duplexsim.units.exec.MemoOpModel;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.validation.run.Scenario;
import io.duplexsim.validation.run.ScenarioRunner;
import io.duplexsim.validation.timeline.ChromeTrace;
import io.duplexsim.validation.timeline.TimelineRecorder;
import io.duplexsim.workloads.serving.ServingCsv;
import io.duplexsim.workloads.serving.ServingProgress;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.workloads.system.IterationObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code duplexsim run}: serve a workload on a simulated system, iteration by iteration. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Serve requests on a system with continuous batching, at a fidelity (cycle, memo, roofline).",
        "Every iteration is compiled into per-device traces and priced on the units: cycle simulates every "
            + "op cycle by cycle (an identical op once); memo also buckets KV lengths at the block size and "
            + "interpolates token rows between buckets; roofline is analytic, for comparison. A scenario file "
            + "gives the defaults; flags override it."},
    footer = {"", "Examples:",
        "  duplexsim run scenarios/mixtral-duplex.yaml --json",
        "  duplexsim run --system duplex --model mixtral-8x7b --devices-per-node 4 --max-num-seqs 64 "
            + "--input-len 1024 --output-len 1024 --requests 256 --fidelity memo --json"})
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "Scenario YAML file; its keys are the "
      + "long names of the options below without the leading --.")
  Path scenario;

  @Option(names = "--system", paramLabel = "NAME", description = "gpu, 2gpu, duplex, duplex-pe, duplex-pe-et or bank-pim.")
  String system;

  @Option(names = "--model", paramLabel = "NAME|config.json", description = "Model preset or Hugging Face config.json.")
  String model;

  @Option(names = "--devices-per-node", paramLabel = "N")
  String devicesPerNode;

  @Option(names = "--nodes", paramLabel = "N")
  String nodes;

  @Option(names = "--max-num-seqs", paramLabel = "N", description = "Largest batch (vLLM's name).")
  String maxNumSeqs;

  @Option(names = "--max-num-batched-tokens", paramLabel = "N", description = "Token budget per iteration.")
  String maxNumBatchedTokens;

  @Option(names = "--block-size", paramLabel = "N", description = "KV block size in tokens.")
  String blockSize;

  @Option(names = "--input-len", paramLabel = "DIST", description = "N, gaussian:MEAN,STD, uniform:MIN,MAX or zipf:...")
  String inputLen;

  @Option(names = "--output-len", paramLabel = "DIST")
  String outputLen;

  @Option(names = "--requests", paramLabel = "N")
  String requests;

  @Option(names = "--arrival", paramLabel = "SPEC", description = "closed (replace each finished request at once), "
      + "poisson:RATE or gamma:RATE,CV.")
  String arrival;

  @Option(names = "--weight-format", paramLabel = "FMT", description = "bf16, fp8, int8 or int4.")
  String weightFormat;

  @Option(names = "--fidelity", paramLabel = "MODE", description = "cycle, memo or roofline.")
  String fidelity;

  @Option(names = "--seed", paramLabel = "N")
  String seed;

  @Option(names = "--unit-overlap", paramLabel = "true|false", description = "Whether a device's units run "
      + "concurrently (default true); false runs one instruction at a time, the serial sum of op times of the "
      + "Duplex authors' simulator, for comparison.")
  String unitOverlap;

  @Option(names = "--memo-store", paramLabel = "DIR", description = "Keep the op prices that cycle and memo "
      + "fidelity simulate in DIR, and reuse them in later runs of the same build on the same hardware (the "
      + "results are the same; only the wall time changes).")
  String memoStore;

  @Option(names = "--router", paramLabel = "SPEC", description = "uniform[:SEED], zipf:EXPONENT[:SEED] or csv:PATH.")
  String router;

  @Option(names = "--trace", paramLabel = "FILE", description = "Replay requests from a JSON-lines trace.")
  String trace;

  @Option(names = "--enable-prefix-caching", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Keep full KV blocks by content hash and reuse them for later prompts (vLLM's automatic prefix "
          + "caching).")
  String enablePrefixCaching;

  @Option(names = "--shared-prefix", paramLabel = "LEN:COUNT", description = "Synthetic prompts start with one of "
      + "COUNT shared LEN-token prefixes (seeded), before the --input-len tokens; none by default.")
  String sharedPrefix;

  @Option(names = "--disaggregation", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Disaggregated prefill/decode serving (Splitwise; the paper's Duplex-Split): prefill and decode "
          + "run on separate devices and KV crosses the interconnect.")
  String disaggregation;

  @Option(names = "--prefill-devices", paramLabel = "N|auto", description = "With --disaggregation: devices of the "
      + "prefill instance (the first N); auto: half, or the rest.")
  String prefillDevices;

  @Option(names = "--decode-devices", paramLabel = "N|auto", description = "With --disaggregation: devices of the "
      + "decode instance (the next N); auto: half, or the rest.")
  String decodeDevices;

  @Option(names = "--kvshare", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "KVShare: "
      + "reuse the KV of shared prompt fragments at any position, recomputing part of it (DHD); off is full KV "
      + "recomputation.")
  String kvshare;

  @Option(names = "--kvshare-recompute-ratio", paramLabel = "R", description = "Share of reused tokens DHD recomputes "
      + "at prefill, in [0, 1] (0.2).")
  String kvshareRecomputeRatio;

  @Option(names = "--kvshare-cache-aware-scheduler", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Admit waiting requests by KV hit rate, highest first (true), or first come first served.")
  String kvshareCacheAwareScheduler;

  @Option(names = "--kvshare-cache-fraction", paramLabel = "F", description = "Share of the KV capacity kept for "
      + "KVShare's fragment store, in [0, 1) (0.2).")
  String kvshareCacheFraction;

  @Option(names = "--tenants", paramLabel = "N", description = "Multi-tenant workload: N tenants, each with a system "
      + "prompt, drawing shared fragments into their prompts (0: off).")
  String tenants;

  @Option(names = "--fragments", paramLabel = "N", description = "Shared fragments in the multi-tenant pool.")
  String fragments;

  @Option(names = "--fragment-len", paramLabel = "DIST", description = "Length of each fragment and system prompt.")
  String fragmentLen;

  @Option(names = "--fragments-per-prompt", paramLabel = "DIST", description = "Pool fragments in one prompt.")
  String fragmentsPerPrompt;

  @Option(names = "--fragment-popularity", paramLabel = "S", description = "Zipf exponent of fragment popularity "
      + "(0: uniform).")
  String fragmentPopularity;

  @Option(names = "--recursive-loops", paramLabel = "B", description = "Serve the model as a recursive one: its "
      + "layers as a block of layers/B shared layers looped B times (must divide the layers); 1 = off.")
  String recursiveLoops;

  @Option(names = "--recursive-lora-rank", paramLabel = "R", description = "Rank of the per-(layer, loop) LoRA of a "
      + "recursive model; 0 = none.")
  String recursiveLoraRank;

  @Option(names = "--recursive-batching", paramLabel = "MODE", description = "sequence (each token runs every loop in "
      + "one iteration) or depth (continuous depth-wise batching, one loop per iteration).")
  String recursiveBatching;

  @Option(names = "--recursive-exit-probs", paramLabel = "P[,P...]", description = "Depth-wise early exit: chance a "
      + "decode token leaves after each loop but the last (one value for all, or B-1 values).")
  String recursiveExitProbs;

  @Option(names = "--device-overrides", paramLabel = "PATH=V,...", description = "Change hardware parameters of the "
      + "system's device preset, e.g. pim.macs=1024,standard=HBM3-6.4,stacks=6,tsvPimWidth=2,xpu.sms=66.")
  String deviceOverrides;

  @Option(names = "--cache-craft", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Cache-Craft chunk-caches for RAG prompts (CFO-based partial recomputation, HBM/DRAM/NVMe tiers).")
  String cacheCraft;

  @Option(names = "--cache-craft-reuse", paramLabel = "BOOL", description = "false: compute every chunk (baseline).")
  String cacheCraftReuse;

  @Option(names = "--cache-craft-variants", paramLabel = "N", description = "Variants per chunk (5).")
  String cacheCraftVariants;

  @Option(names = "--cache-craft-alpha", paramLabel = "X", description = "CFO scale (1).")
  String cacheCraftAlpha;

  @Option(names = "--cache-craft-cci", paramLabel = "DIST", description = "Per-chunk CCI: fixed:X or uniform:MIN,MAX.")
  String cacheCraftCci;

  @Option(names = "--cache-craft-early-termination-layers", paramLabel = "N",
      description = "Recomputation of unfocused chunks stops after N layers (12; 0: off).")
  String cacheCraftEarlyTerminationLayers;

  @Option(names = "--cache-craft-unfocused-fraction", paramLabel = "F", description = "Chunks the question ignores.")
  String cacheCraftUnfocusedFraction;

  @Option(names = "--cache-craft-hbm-fraction", paramLabel = "F", description = "KV capacity kept for chunk-caches.")
  String cacheCraftHbmFraction;

  @Option(names = "--cache-craft-dram-gb", paramLabel = "GB", description = "Host DRAM for chunk-caches.")
  String cacheCraftDramGb;

  @Option(names = "--cache-craft-nvme-gb", paramLabel = "GB", description = "NVMe for chunk-caches.")
  String cacheCraftNvmeGb;

  @Option(names = "--cache-craft-pcie-gbps", paramLabel = "GB/s", description = "Host link per device (64).")
  String cacheCraftPcieGbps;

  @Option(names = "--cache-craft-nvme-gbps", paramLabel = "GB/s", description = "NVMe bandwidth per device (16).")
  String cacheCraftNvmeGbps;

  @Option(names = "--rag-corpus-chunks", paramLabel = "N", description = "RAG workload over N chunks (0: none).")
  String ragCorpusChunks;

  @Option(names = "--rag-chunks-per-prompt", paramLabel = "K", description = "Chunks per RAG prompt (5).")
  String ragChunksPerPrompt;

  @Option(names = "--rag-chunk-tokens", paramLabel = "N", description = "Tokens per chunk (512).")
  String ragChunkTokens;

  @Option(names = "--rag-hot-fraction", paramLabel = "F", description = "Share of chunks that are hot (0.05).")
  String ragHotFraction;

  @Option(names = "--rag-hot-share", paramLabel = "F", description = "Share of retrievals the hot chunks get (0.6).")
  String ragHotShare;

  @Option(names = "--speculative-model", paramLabel = "NAME", description = "Speculative decoding: none (default), a "
      + "draft model preset or config.json on the same devices, or prompt-lookup (vLLM's [ngram]).")
  String speculativeModel;

  @Option(names = "--num-speculative-tokens", paramLabel = "K", description = "Tokens proposed per step, 0 to 8 "
      + "(smartspec: the k it starts with).")
  String numSpeculativeTokens;

  @Option(names = "--spec-acceptance-rate", paramLabel = "P", description = "Probability that the target accepts "
      + "each proposed token, in [0, 1] (drawn per token with the seed).")
  String specAcceptanceRate;

  @Option(names = "--spec-controller", paramLabel = "NAME", description = "fixed (k as given) or smartspec "
      + "(SmartSpec's goodput controller re-picks k every 20 steps).")
  String specController;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--profile", description = "Print to stderr how many op shapes were simulated and the wall time "
      + "they took, per kind and unit.")
  boolean profile;

  @Option(names = "--out", paramLabel = "DIR", description = "Also write results.json, requests.csv and iterations.csv.")
  Path out;

  @Option(names = "--trace-timeline", paramLabel = "FILE", description = "Write a Chrome/Perfetto trace-event JSON "
      + "of the iterations and of every unit's operations per device (xPU, Logic-PIM, Bank-PIM, link), to see "
      + "co-processing overlap (open in ui.perfetto.dev or chrome://tracing).")
  Path traceTimeline;

  @Option(names = "--trace-timeline-iterations", paramLabel = "N", defaultValue = "64", description = "Iterations the "
      + "timeline shows, from the first (default ${DEFAULT-VALUE}; 0 = all, which for a long run makes a file of "
      + "hundreds of MB).")
  int traceTimelineIterations;

  @Override
  public Integer call() {
    Map<String, String> values = Scenario.defaults();
    if (scenario != null) {
      if (!Files.isRegularFile(scenario)) {
        throw new InputException("scenario file " + scenario + " does not exist");
      }
      values.putAll(Scenario.readFile(scenario));
    }
    // Every option named like a scenario key overrides the file (the option's name is the key).
    for (OptionSpec o : spec.options()) {
      String key = o.longestName().substring(2);
      if (Scenario.KEYS.contains(key) && o.getValue() != null) {
        values.put(key, o.getValue().toString());
      }
    }
    Scenario s = Scenario.of(values);
    if (traceTimelineIterations < 0) {
      throw new InputException("--trace-timeline-iterations must be 0 (all) or a positive count, got "
          + traceTimelineIterations);
    }
    TimelineRecorder timeline = new TimelineRecorder(traceTimelineIterations);
    long start = System.nanoTime();
    PrintWriter err = spec.commandLine().getErr();
    // a progress bar on a terminal only (System.console(): standard input and output are a terminal); a
    // trace's length is not known before it is read
    List<ServingProgressBar> bars = new ArrayList<>();
    Function<OpModel, ServingProgress> watch = System.console() == null ? ops -> ServingProgress.NONE : ops -> {
      ServingProgressBar bar = ServingProgressBar.onStandardError(s.trace() == null ? s.requests() : -1, ops);
      bars.add(bar);
      return bar;
    };
    ServingResult result;
    try {
      result = ScenarioRunner.run(s, CompileCommand.weightFormat(s.weightFormat()), ops -> {
        closeAll(bars); // before the profile's lines
        if (profile && ops instanceof MemoOpModel memo) {
          err.printf(Locale.ROOT, "%d op shapes simulated, %d composed from pair runs, %d reused, %d found in the "
              + "memo store%n", memo.misses(), memo.composedShapes(), memo.hits(), memo.storedHits());
          memo.simulatedShapes().forEach((kind, v) -> err.printf(Locale.ROOT, "  %-34s %6.0f shapes %8.1f s%n", kind,
              v[0], v[1]));
          if (memo.stores() != null) {
            memo.stores().byName().forEach((unit, store) -> {
              if (store.file() != null) {
                err.printf(Locale.ROOT, "memo store (%s): %s%n", unit, store.file());
              }
            });
          }
          err.flush();
        }
      }, traceTimeline == null ? IterationObserver.NONE : timeline, watch);
    } finally {
      closeAll(bars);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", s.system());
    m.put("model", s.model());
    m.put("devices", ScenarioRunner.system(s).system().devices());
    m.putAll(result.toJson());
    m.put("wall_s", wall);
    PrintWriter o = spec.commandLine().getOut();
    String text = Table.json(m);
    if (json) {
      o.println(text);
    } else {
      Table.printMetrics(o, m);
    }
    if (out != null) {
      write(out, text, result);
    }
    if (traceTimeline != null) {
      ChromeTrace.write(traceTimeline, result.iterationLog(), timeline, s.system() + " " + s.model());
    }
    o.flush();
    return 0;
  }

  /** Writes each file under a temporary name first, so a failed run leaves nothing that looks complete. */
  private static void write(Path dir, String json, ServingResult result) {
    try {
      Files.createDirectories(dir);
      Path results = Files.writeString(dir.resolve("results.json.tmp"), json + "\n", StandardCharsets.UTF_8);
      Path reqs = dir.resolve("requests.csv.tmp");
      try (Writer w = Files.newBufferedWriter(reqs, StandardCharsets.UTF_8)) {
        ServingCsv.writeRequests(result, w);
      }
      Path iters = dir.resolve("iterations.csv.tmp");
      try (Writer w = Files.newBufferedWriter(iters, StandardCharsets.UTF_8)) {
        ServingCsv.writeIterations(result, w);
      }
      Files.move(results, dir.resolve("results.json"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(reqs, dir.resolve("requests.csv"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(iters, dir.resolve("iterations.csv"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeAll(List<ServingProgressBar> bars) {
    bars.forEach(ServingProgressBar::close);
    bars.clear();
  }
}
