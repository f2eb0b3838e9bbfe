package io.duplexsim.validation.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One serving experiment: the system, the model, the workload, the serving knobs (vLLM's names), the
 * fidelity and the seed. Read from a YAML file (keys as in {@link #KEYS}, {@code -} or {@code _} or
 * camelCase alike), then overridden by command-line flags. The typed fields are the core; a serving
 * policy reads its own keys from {@link #values()} with {@link #positiveInt(String)} and friends, so that
 * adding a policy adds a default line, not a field.
 */
public record Scenario(String system, String model, int devicesPerNode, int nodes, int maxNumSeqs,
    int maxNumBatchedTokens, int blockSize, String inputLen, String outputLen, int requests, String arrival,
    String weightFormat, String fidelity, long seed, String router, Path trace, double gpuMemoryUtilization,
    double activationReserveGb, boolean enablePrefixCaching, String sharedPrefix, Map<String, String> values) {

  /** Every key a scenario file may have: those of {@link #defaults()}. */
  public static final List<String> KEYS = List.copyOf(defaults().keySet());

  public Scenario {
    values = Map.copyOf(values);
  }

  /** The defaults a file or flags override: Mixtral on one node of four Duplex devices. */
  public static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("system", "duplex");
    d.put("model", "mixtral-8x7b");
    d.put("devices-per-node", "4");
    d.put("nodes", "1");
    d.put("max-num-seqs", "64");
    d.put("max-num-batched-tokens", "2048");
    d.put("block-size", "16");
    d.put("input-len", "1024");
    d.put("output-len", "1024");
    d.put("requests", "256");
    d.put("arrival", "closed");
    d.put("weight-format", "bf16");
    d.put("fidelity", "memo");
    d.put(ScenarioRunner.MEMO_STORE_KEY, "");
    d.put(ScenarioRunner.UNIT_OVERLAP_KEY, "true");
    d.put("seed", "1");
    d.put("router", "uniform");
    d.put("trace", "");
    d.put("gpu-memory-utilization", "0.9");
    d.put("activation-reserve-gb", "2");
    d.put("enable-prefix-caching", "false");
    d.put("shared-prefix", "none");
    d.put("disaggregation", "false");
    d.put("prefill-devices", "auto");
    d.put("decode-devices", "auto");
    d.put("kvshare", "false");
    d.put("kvshare-recompute-ratio", "0.2");
    d.put("kvshare-cache-aware-scheduler", "true");
    d.put("kvshare-cache-fraction", "0.2");
    d.put("tenants", "0");
    d.put("fragments", "64");
    d.put("fragment-len", "uniform:128,1024");
    d.put("fragments-per-prompt", "2");
    d.put("fragment-popularity", "1.0");
    d.put("recursive-loops", "1");
    d.put("recursive-lora-rank", "0");
    d.put("recursive-batching", "depth");
    d.put("recursive-exit-probs", "0");
    d.put("device-overrides", "");
    d.putAll(CacheCraftScenario.defaults());
    d.put("speculative-model", "none");
    d.put("num-speculative-tokens", "");
    d.put("spec-acceptance-rate", "");
    d.put("spec-controller", "fixed");
    return d;
  }

  /** Reads a scenario file's keys as text, checking names; InputException names the file and key. */
  public static Map<String, String> readFile(Path file) {
    try {
      return read(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new InputException(file + ": cannot read scenario (" + e.getMessage().lines().findFirst().orElse("")
          + ")", e);
    }
  }

  /** As {@link #readFile} for a scenario's text; {@code file} names it in messages. */
  public static Map<String, String> read(String file, String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new InputException(file + ": cannot read scenario (" + e.getMessage().lines().findFirst().orElse("")
          + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new InputException(file + ": a scenario file must be a map of keys " + KEYS);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = canonical(e.getKey());
      if (!KEYS.contains(key)) {
        throw new InputException(file + ": unknown key '" + e.getKey() + "'; expected one of " + KEYS);
      }
      if (!e.getValue().isValueNode()) {
        throw new InputException(file + ": key '" + e.getKey() + "' must be a single value, got " + e.getValue());
      }
      values.put(key, e.getValue().asText());
    }
    return values;
  }

  /** camelCase and snake_case to kebab-case. */
  public static String canonical(String key) {
    return key.replaceAll("([a-z])([A-Z])", "$1-$2").replace('_', '-').toLowerCase(java.util.Locale.ROOT);
  }

  /** Builds a scenario from merged text values; InputException naming the key on a bad value. */
  public static Scenario of(Map<String, String> v) {
    return new Scenario(v.get("system"), v.get("model"), positiveInt(v, "devices-per-node"), positiveInt(v, "nodes"),
        positiveInt(v, "max-num-seqs"), positiveInt(v, "max-num-batched-tokens"), positiveInt(v, "block-size"),
        v.get("input-len"), v.get("output-len"), positiveInt(v, "requests"), v.get("arrival"), v.get("weight-format"),
        v.get("fidelity"), longValue(v, "seed"), v.get("router"), v.get("trace").isEmpty() ? null : Path.of(v.get("trace")),
        positiveDouble(v, "gpu-memory-utilization"), nonNegativeDouble(v, "activation-reserve-gb"),
        bool(v, "enable-prefix-caching"), v.get("shared-prefix"), v);
  }

  /** A key's text as given (or defaulted). */
  public String text(String key) {
    String t = values.get(key);
    if (t == null) {
      throw new IllegalArgumentException("not a scenario key: " + key);
    }
    return t;
  }

  public boolean bool(String key) {
    return bool(values, key);
  }

  public int positiveInt(String key) {
    return positiveInt(values, key);
  }

  public double nonNegativeDouble(String key) {
    return nonNegativeDouble(values, key);
  }

  /** A number in [0, 1]; InputException naming the key otherwise. */
  public double fraction(String key) {
    double x = nonNegativeDouble(values, key);
    if (x > 1) {
      throw new InputException(key + " must be in [0, 1], got '" + values.get(key) + "'");
    }
    return x;
  }

  private static boolean bool(Map<String, String> v, String key) {
    String t = v.get(key).trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return Boolean.parseBoolean(t);
    }
    throw new InputException(key + " must be true or false, got '" + v.get(key) + "'");
  }

  private static int positiveInt(Map<String, String> v, String key) {
    try {
      int x = Integer.parseInt(v.get(key).trim());
      if (x > 0) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputException(key + " must be a positive integer, got '" + v.get(key) + "'");
  }

  private static long longValue(Map<String, String> v, String key) {
    try {
      return Long.parseLong(v.get(key).trim());
    } catch (NumberFormatException e) {
      throw new InputException(key + " must be an integer, got '" + v.get(key) + "'", e);
    }
  }

  private static double positiveDouble(Map<String, String> v, String key) {
    double x = nonNegativeDouble(v, key);
    if (x <= 0) {
      throw new InputException(key + " must be positive, got '" + v.get(key) + "'");
    }
    return x;
  }

  private static double nonNegativeDouble(Map<String, String> v, String key) {
    try {
      double x = Double.parseDouble(v.get(key).trim());
      if (x >= 0 && Double.isFinite(x)) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputException(key + " must be a non-negative number, got '" + v.get(key) + "'");
  }
}
