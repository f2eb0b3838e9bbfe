package io.duplexsim.validation.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.SyntheticPattern;
import io.duplexsim.memory.frontend.SyntheticPattern.PatternParams;
import io.duplexsim.memory.frontend.TraceFormat;
import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The settings of one {@code memory} run, from flags or a config file. Every field is null until
 * set, so a file's settings can be overlaid by the flags given on the command line; defaults are
 * applied when the {@link MemoryConfig} and the workload are built.
 *
 * <p>Config file keys are the flag names without dashes, spelled with {@code -} or {@code _};
 * {@code org}, {@code timing} and {@code energy} are nested maps of overrides.
 */
final class MemorySettings {
  static final String DEFAULT_STANDARD = "HBM3-5.2";
  static final long DEFAULT_REQUESTS = 100_000;
  static final long DEFAULT_SEED = 1;
  static final String DEFAULT_TRACE_FORMAT = "ramulator";

  @Option(names = "--standard", paramLabel = "NAME",
      description = "Memory standard (default: " + DEFAULT_STANDARD + "; see 'duplexsim list standards').")
  String standard;

  @Option(names = "--stacks", paramLabel = "N", description = "Number of HBM stacks (default: 1).")
  Integer stacks;

  @Option(names = "--trace", paramLabel = "FILE",
      description = "Request trace file; FORMAT:FILE picks the format inline (e.g. dramsim3:run.trace).")
  String trace;

  @Option(names = "--trace-format", paramLabel = "FORMAT",
      description = "Trace format: ramulator (LD/ST 0xADDR) or dramsim3 (0xADDR READ CYCLE) (default: ramulator).")
  String traceFormat;

  @Option(names = "--pattern", paramLabel = "NAME",
      description = "Synthetic pattern: stream, random, strided, mix, bundle-stream, write-stream.")
  String pattern;

  @Option(names = "--requests", paramLabel = "N",
      description = "Requests a pattern generates (default: " + DEFAULT_REQUESTS + ").")
  Long requests;

  @Option(names = "--seed", paramLabel = "S", description = "Pattern random seed (default: 1).")
  Long seed;

  @Option(names = "--stride", paramLabel = "BYTES", converter = ByteSize.class,
      description = "Stride of the strided pattern (default: 8KiB). Byte counts take K/M/G suffixes (binary).")
  Long stride;

  @Option(names = "--read-fraction", paramLabel = "F",
      description = "Share of reads in the mix pattern, 0..1 (default: 0.667).")
  Double readFraction;

  @Option(names = "--footprint", paramLabel = "BYTES", converter = ByteSize.class,
      description = "Bytes the pattern's addresses range over (default: 1GiB).")
  Long footprint;

  @Option(names = "--mapping", paramLabel = "NAME",
      description = "Address mapping, most significant field first, e.g. RoBaRaCoCh, RoCoBaRaCh; '-xor' "
          + "suffix hashes bank bits (default: " + MemoryConfig.DEFAULT_MAPPING + ").")
  String mapping;

  @Option(names = "--page-policy", paramLabel = "POLICY", description = "open, closed or adaptive (default: open).")
  String pagePolicy;

  @Option(names = "--refresh", paramLabel = "MODE",
      description = "all-bank, per-bank, same-bank or none (default: all-bank).")
  String refresh;

  @Option(names = "--check", description = "Check every issued command against the timing constraints.")
  Boolean check;

  @Option(names = "--no-fast-forward", description = "Tick every cycle instead of skipping idle ones.")
  Boolean noFastForward;

  @Option(names = "--read-queue", paramLabel = "N", description = "Read queue entries per controller (default: 32).")
  Integer readQueue;

  @Option(names = "--write-queue", paramLabel = "N",
      description = "Write queue entries per controller (default: 32).")
  Integer writeQueue;

  @Option(names = "--write-high-watermark", paramLabel = "F",
      description = "Write queue fill that starts a write drain (default: 0.8).")
  Double writeHighWatermark;

  @Option(names = "--write-low-watermark", paramLabel = "F",
      description = "Write queue fill that ends a write drain (default: 0.2).")
  Double writeLowWatermark;

  @Option(names = "--adaptive-idle-cycles", paramLabel = "N",
      description = "Adaptive page policy: close a row idle this many cycles (default: 64).")
  Integer adaptiveIdleCycles;

  @Option(names = "--row-hit-cap", paramLabel = "N",
      description = "FR-FCFS row-hit cap (Ramulator 1's FRFCFS_Cap uses 16): after N column commands to an open row, "
          + "a bank with a request waiting for another of its rows takes no more until the row closes (default: 0, "
          + "none).")
  Integer rowHitCap;

  @Option(names = "--tsv-xpu-width", paramLabel = "X",
      description = "Conventional TSV channel width, in pseudo-channel pin bandwidths (default: 1).")
  Double tsvXpuWidth;

  @Option(names = "--tsv-pim-width", paramLabel = "X",
      description = "Logic-PIM TSV channel width, same unit (default: 4).")
  Double tsvPimWidth;

  @Option(names = "--tsv-latency-ps", paramLabel = "PS", description = "TSV latency added to reads (default: 0).")
  Long tsvLatencyPs;

  @Option(names = "--org", paramLabel = "KEY=VALUE",
      description = "Organisation override, e.g. --org banks=4 (repeatable).")
  Map<String, String> orgFlags;

  @Option(names = "--timing", paramLabel = "KEY=VALUE",
      description = "Timing override in cycles (nRCDRD=20) or ns (tRCDRD=14.5) (repeatable).")
  Map<String, String> timingFlags;

  @Option(names = "--energy", paramLabel = "KEY=VALUE", description = "Energy model override (repeatable).")
  Map<String, String> energyFlags;

  /** What to print and write beside the metrics. */
  @Mixin
  MemoryReportOptions report = new MemoryReportOptions();

  @Option(names = "--threads", paramLabel = "N",
      description = "Simulate the pseudo-channels in N lanes on N threads (default 1). Every simulated figure is "
          + "the same; on 2 cores long random traces run up to 1.5x faster, a stream slower, and more threads than "
          + "cores only slow a run (BENCHMARKS.md).")
  Integer threads;

  /** Overrides by key, filled from a config file or the KEY=VALUE flags. */
  final Map<String, Number> org = new LinkedHashMap<>();
  final Map<String, Number> timing = new LinkedHashMap<>();
  final Map<String, Number> energy = new LinkedHashMap<>();

  /** Folder a relative {@link #trace} resolves against (the config file's), or null for the cwd. */
  Path traceBase;

  /** Where these settings came from, for messages: a file name, or null for the command line. */
  String origin;

  // ---------------------------------------------------------------------------------------------
  // Config files

  private interface Setter {
    void set(MemorySettings s, String key, JsonNode v);
  }

  private static final Map<String, Setter> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("standard", (s, k, v) -> s.standard = s.text(k, v));
    KEYS.put("stacks", (s, k, v) -> s.stacks = s.integer(k, v));
    KEYS.put("trace", (s, k, v) -> s.trace = s.text(k, v));
    KEYS.put("trace-format", (s, k, v) -> s.traceFormat = s.text(k, v));
    KEYS.put("pattern", (s, k, v) -> s.pattern = s.text(k, v));
    KEYS.put("requests", (s, k, v) -> s.requests = s.longValue(k, v));
    KEYS.put("seed", (s, k, v) -> s.seed = s.longValue(k, v));
    KEYS.put("stride", (s, k, v) -> s.stride = s.bytes(k, v));
    KEYS.put("read-fraction", (s, k, v) -> s.readFraction = s.decimal(k, v));
    KEYS.put("footprint", (s, k, v) -> s.footprint = s.bytes(k, v));
    KEYS.put("mapping", (s, k, v) -> s.mapping = s.text(k, v));
    KEYS.put("page-policy", (s, k, v) -> s.pagePolicy = s.text(k, v));
    KEYS.put("refresh", (s, k, v) -> s.refresh = s.text(k, v));
    KEYS.put("check", (s, k, v) -> s.check = s.bool(k, v));
    KEYS.put("no-fast-forward", (s, k, v) -> s.noFastForward = s.bool(k, v));
    KEYS.put("fast-forward", (s, k, v) -> s.noFastForward = !s.bool(k, v));
    KEYS.put("read-queue", (s, k, v) -> s.readQueue = s.integer(k, v));
    KEYS.put("write-queue", (s, k, v) -> s.writeQueue = s.integer(k, v));
    KEYS.put("write-high-watermark", (s, k, v) -> s.writeHighWatermark = s.decimal(k, v));
    KEYS.put("write-low-watermark", (s, k, v) -> s.writeLowWatermark = s.decimal(k, v));
    KEYS.put("adaptive-idle-cycles", (s, k, v) -> s.adaptiveIdleCycles = s.integer(k, v));
    KEYS.put("row-hit-cap", (s, k, v) -> s.rowHitCap = s.integer(k, v));
    KEYS.put("tsv-xpu-width", (s, k, v) -> s.tsvXpuWidth = s.decimal(k, v));
    KEYS.put("tsv-pim-width", (s, k, v) -> s.tsvPimWidth = s.decimal(k, v));
    KEYS.put("tsv-latency-ps", (s, k, v) -> s.tsvLatencyPs = s.longValue(k, v));
    KEYS.put("json", (s, k, v) -> s.report.json = s.bool(k, v));
    KEYS.put("epoch-cycles", (s, k, v) -> s.report.epochCycles = s.longValue(k, v));
    KEYS.put("epoch-chart", (s, k, v) -> s.report.epochChart = s.text(k, v));
    KEYS.put("latency-chart", (s, k, v) -> s.report.latencyChart = s.text(k, v));
    KEYS.put("command-trace", (s, k, v) -> s.report.commandTrace = s.text(k, v));
    KEYS.put("per-channel", (s, k, v) -> s.report.perChannel = s.bool(k, v));
    KEYS.put("threads", (s, k, v) -> s.threads = s.integer(k, v));
    KEYS.put("org", (s, k, v) -> s.numberMap(k, v, s.org));
    KEYS.put("timing", (s, k, v) -> s.numberMap(k, v, s.timing));
    KEYS.put("energy", (s, k, v) -> s.numberMap(k, v, s.energy));
  }

  /** Config file keys, in the spelling with '-'. */
  static List<String> keys() {
    return List.copyOf(KEYS.keySet());
  }

  /** Reads a YAML or JSON config file (JSON if the name ends in .json). */
  static MemorySettings readFile(Path file) {
    return fromNode(readTree(file), file.toString(), file.toAbsolutePath().getParent());
  }

  /** A config file's tree, unchecked; InputException naming the file when it is not YAML / JSON or not there. */
  static JsonNode readTree(Path file) {
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new InputException("config file '" + name + "' is a directory");
    }
    ObjectMapper mapper = name.toLowerCase(Locale.ROOT).endsWith(".json") ? new ObjectMapper()
        : new ObjectMapper(new YAMLFactory());
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    JsonNode root;
    try {
      root = mapper.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : e.getLocation().getLineNr() + ": ";
      throw new InputException(name + ":" + where + "not valid " + (mapper.getFactory() instanceof YAMLFactory
          ? "YAML" : "JSON") + ": " + Main.oneLine(e.getOriginalMessage()));
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new InputException("config file '" + name + "' not found");
    } catch (IOException e) {
      throw new InputException("cannot read config file '" + name + "': " + e.getMessage(), e);
    }
    return root;
  }

  /**
   * Settings from a config file's tree ({@link #readFile}) or a memory sweep's run: {@code name} is named in
   * messages, a relative trace resolves against {@code traceBase}.
   */
  static MemorySettings fromNode(JsonNode root, String name, Path traceBase) {
    MemorySettings s = new MemorySettings();
    s.origin = name;
    s.traceBase = traceBase;
    if (root == null || root.isMissingNode() || root.isNull()) {
      return s; // an empty file sets nothing
    }
    if (!root.isObject()) {
      throw new InputException(name + ": expected a mapping of settings (key: value), got " + kind(root));
    }
    Map<String, String> seen = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey().trim().replace('_', '-');
      Setter setter = KEYS.get(key);
      if (setter == null) {
        throw new InputException(name + ": unknown key '" + e.getKey() + "'; expected one of " + keys());
      }
      String canonical = key.equals("fast-forward") ? "no-fast-forward" : key;
      String before = seen.put(canonical, e.getKey());
      if (before != null) {
        throw new InputException(name + ": '" + e.getKey() + "' repeats '" + before + "'; give each setting once");
      }
      setter.set(s, e.getKey(), e.getValue());
    }
    return s;
  }

  private String where(String key) {
    return origin == null ? key : origin + ": " + key;
  }

  private static String kind(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "nothing";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return "'" + v.asText() + "'";
  }

  private String text(String key, JsonNode v) {
    if (v == null || !(v.isTextual() || v.isNumber())) {
      throw new InputException(where(key) + ": expected a string, got " + kind(v));
    }
    return v.asText();
  }

  private boolean bool(String key, JsonNode v) {
    if (v != null && v.isBoolean()) {
      return v.booleanValue();
    }
    if (v != null && v.isTextual()) {
      String t = v.asText().trim().toLowerCase(Locale.ROOT);
      if (t.equals("true") || t.equals("false")) {
        return t.equals("true");
      }
    }
    throw new InputException(where(key) + ": expected true or false, got " + kind(v));
  }

  private long longValue(String key, JsonNode v) {
    if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v != null && v.isTextual()) {
      try {
        return Long.parseLong(v.asText().trim());
      } catch (NumberFormatException ignored) {
        // fall through to the message
      }
    }
    throw new InputException(where(key) + ": expected an integer, got " + kind(v));
  }

  private int integer(String key, JsonNode v) {
    long l = longValue(key, v);
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      throw new InputException(where(key) + ": expected an integer below 2^31, got " + l);
    }
    return (int) l;
  }

  private double decimal(String key, JsonNode v) {
    if (v != null && v.isNumber()) {
      return v.doubleValue();
    }
    if (v != null && v.isTextual()) {
      Number n = number(v.asText());
      if (n != null) {
        return n.doubleValue();
      }
    }
    throw new InputException(where(key) + ": expected a number, got " + kind(v));
  }

  private long bytes(String key, JsonNode v) {
    if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v != null && v.isTextual()) {
      return ByteSize.parseOrThrow(where(key), v.asText());
    }
    throw new InputException(where(key) + ": expected a byte count (e.g. 8192, 8KiB, 1GiB), got " + kind(v));
  }

  private void numberMap(String key, JsonNode v, Map<String, Number> into) {
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isObject()) {
      throw new InputException(where(key) + ": expected a mapping of names to numbers, got " + kind(v));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = key + "." + e.getKey();
      JsonNode n = e.getValue();
      Number value = null;
      if (n != null && n.isNumber()) {
        value = n.numberValue();
      } else if (n != null && n.isTextual()) {
        value = number(n.asText());
      }
      if (value == null) {
        throw new InputException(where(k) + ": expected a number, got " + kind(n));
      }
      into.put(e.getKey(), value);
    }
  }

  /** A decimal number as Long or Double, or null. */
  static Number number(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException ignored) {
      // not an integer
    }
    try {
      double d = Double.parseDouble(t);
      return Double.isNaN(d) ? null : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void flagMap(String flag, Map<String, String> flags, Map<String, Number> into) {
    if (flags == null) {
      return;
    }
    flags.forEach((k, v) -> {
      Number n = number(v);
      if (n == null) {
        throw new InputException(flag + " " + k + ": expected a number, got '" + v + "'");
      }
      into.put(k.trim(), n);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Merging and building

  /**
   * Overlays these command-line settings on a config file's: a flag given on the command line
   * wins. The workload source (trace or pattern) is taken whole from the command line if it names
   * one, else from the file.
   */
  MemorySettings over(MemorySettings file) {
    MemorySettings m = new MemorySettings();
    m.origin = file.origin;
    m.standard = pick(standard, file.standard);
    m.stacks = pick(stacks, file.stacks);
    if (trace != null || pattern != null) {
      m.trace = trace;
      m.pattern = pattern;
      m.traceBase = null;
    } else {
      if (file.trace != null && file.pattern != null) {
        throw new InputException(file.origin + ": give either 'trace' or 'pattern', not both");
      }
      m.trace = file.trace;
      m.pattern = file.pattern;
      m.traceBase = file.traceBase;
    }
    m.traceFormat = pick(traceFormat, file.traceFormat);
    m.requests = pick(requests, file.requests);
    m.seed = pick(seed, file.seed);
    m.stride = pick(stride, file.stride);
    m.readFraction = pick(readFraction, file.readFraction);
    m.footprint = pick(footprint, file.footprint);
    m.mapping = pick(mapping, file.mapping);
    m.pagePolicy = pick(pagePolicy, file.pagePolicy);
    m.refresh = pick(refresh, file.refresh);
    m.check = pick(check, file.check);
    m.noFastForward = pick(noFastForward, file.noFastForward);
    m.readQueue = pick(readQueue, file.readQueue);
    m.writeQueue = pick(writeQueue, file.writeQueue);
    m.writeHighWatermark = pick(writeHighWatermark, file.writeHighWatermark);
    m.writeLowWatermark = pick(writeLowWatermark, file.writeLowWatermark);
    m.adaptiveIdleCycles = pick(adaptiveIdleCycles, file.adaptiveIdleCycles);
    m.rowHitCap = pick(rowHitCap, file.rowHitCap);
    m.tsvXpuWidth = pick(tsvXpuWidth, file.tsvXpuWidth);
    m.tsvPimWidth = pick(tsvPimWidth, file.tsvPimWidth);
    m.tsvLatencyPs = pick(tsvLatencyPs, file.tsvLatencyPs);
    m.report = report.over(file.report);
    m.threads = pick(threads, file.threads);
    m.org.putAll(file.org);
    m.timing.putAll(file.timing);
    m.energy.putAll(file.energy);
    m.org.putAll(org);
    m.timing.putAll(timing);
    m.energy.putAll(energy);
    return m;
  }

  private static <T> T pick(T cli, T file) {
    return cli != null ? cli : file;
  }

  /** Folds the KEY=VALUE override flags into the override maps; call before {@link #over}. */
  void applyOverrideFlags() {
    flagMap("--org", orgFlags, org);
    flagMap("--timing", timingFlags, timing);
    flagMap("--energy", energyFlags, energy);
  }

  boolean jsonOutput() {
    return Boolean.TRUE.equals(report.json);
  }

  boolean perChannelOutput() {
    return Boolean.TRUE.equals(report.perChannel);
  }

  /** The threads to simulate on: 1 unless given, and at least 1. */
  int threadCount() {
    if (threads != null && threads < 1) {
      throw new InputException((origin != null ? origin + ": " : "") + "threads must be at least 1, got " + threads);
    }
    return threads != null ? threads : 1;
  }

  String standardName() {
    return standard != null ? standard.trim() : DEFAULT_STANDARD;
  }

  /** Builds the memory configuration; validates the settings MemoryConfig validates. */
  MemoryConfig toConfig() {
    MemoryConfig.Builder b = MemoryConfig.builder(standardName());
    if (stacks != null) {
      b.stacks(stacks);
    }
    if (mapping != null) {
      b.mapping(mapping.trim());
    }
    if (pagePolicy != null) {
      b.pagePolicy(pagePolicy.trim().toLowerCase(Locale.ROOT));
    }
    if (refresh != null) {
      b.refresh(refresh.trim().toLowerCase(Locale.ROOT));
    }
    if (check != null) {
      b.check(check);
    }
    if (noFastForward != null) {
      b.fastForward(!noFastForward);
    }
    if (readQueue != null) {
      b.readQueueSize(readQueue);
    }
    if (writeQueue != null) {
      b.writeQueueSize(writeQueue);
    }
    if (writeHighWatermark != null) {
      b.writeHighWatermark(writeHighWatermark);
    }
    if (writeLowWatermark != null) {
      b.writeLowWatermark(writeLowWatermark);
    }
    if (adaptiveIdleCycles != null) {
      b.adaptiveIdleCycles(adaptiveIdleCycles);
    }
    if (rowHitCap != null) {
      b.rowHitCap(rowHitCap);
    }
    if (tsvXpuWidth != null) {
      b.tsvXpuWidth(tsvXpuWidth);
    }
    if (tsvPimWidth != null) {
      b.tsvPimWidth(tsvPimWidth);
    }
    if (tsvLatencyPs != null) {
      b.tsvLatencyPs(tsvLatencyPs);
    }
    org.forEach(b::orgOverride);
    timing.forEach(b::timingOverride);
    energy.forEach(b::energyOverride);
    return b.build();
  }

  /** Checks that exactly one workload source is given. */
  void requireOneWorkload() {
    if (trace != null && pattern != null) {
      throw new InputException("give either --trace or --pattern, not both");
    }
    if (trace == null && pattern == null) {
      throw new InputException("no workload: give --trace FILE or --pattern NAME (one of "
          + SyntheticPattern.names() + ")" + (origin == null ? "" : ", or 'trace'/'pattern' in " + origin));
    }
  }

  /** The trace file and format this run reads; null for a pattern run. */
  TraceFormat.Spec traceSpec() {
    if (trace == null) {
      return null;
    }
    String fmt = traceFormat != null ? traceFormat : DEFAULT_TRACE_FORMAT;
    TraceFormat.byName(fmt);
    TraceFormat.Spec spec = TraceFormat.parse(trace, fmt);
    Path p = spec.path();
    if (traceBase != null && !p.isAbsolute()) {
      p = traceBase.resolve(p).normalize();
    }
    return new TraceFormat.Spec(spec.format(), p);
  }

  /** Builds the request trace: reads the trace file or generates the pattern. */
  RequestTrace workload(int accessBytes) {
    requireOneWorkload();
    if (trace != null) {
      return traceSpec().read();
    }
    SyntheticPattern p = SyntheticPattern.byName(pattern);
    PatternParams params = new PatternParams(
        footprint != null ? footprint : PatternParams.DEFAULT_FOOTPRINT,
        stride != null ? stride : PatternParams.DEFAULT_STRIDE,
        readFraction != null ? readFraction : PatternParams.DEFAULT_READ_FRACTION,
        accessBytes);
    return p.generate(requests != null ? requests : DEFAULT_REQUESTS, seed != null ? seed : DEFAULT_SEED, params);
  }
}
