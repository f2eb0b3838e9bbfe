package io.duplexsim.memory.standard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of named memory standards ({@code HBM3-5.2}, ...), loaded from the bundled YAML
 * data: a family file (levels, commands, constraint rows) and the presets file (organisation, data
 * rate, timings). Overrides from a config are applied by key and validated.
 */
public final class Standards {
  private static final String BASE = "/io/duplexsim/memory/standards/";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> PRESET_KEYS =
      Set.of("family", "source", "org", "rateMbps", "commandClockMHz", "timing", "derive");
  private static final List<String> ORG_KEYS = List.of("channels", "pseudoChannels", "ranks", "bankGroups",
      "banks", "rows", "columns", "dqBits", "burstLength", "bundlesPerRank", "dieDensityGb");

  private Standards() {}

  /** Names of the bundled standards, in file order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    presets().fieldNames().forEachRemaining(names::add);
    return names;
  }

  public static DramStandard load(String name) {
    return load(name, Map.of(), Map.of());
  }

  /**
   * Loads a named standard with overrides. {@code orgOverrides} keys are organisation fields;
   * {@code timingOverrides} keys are timing names in cycles ({@code nRCDRD}) or, spelled with a
   * leading {@code t}, in nanoseconds ({@code tRCDRD}).
   */
  public static DramStandard load(String name, Map<String, ? extends Number> orgOverrides,
      Map<String, ? extends Number> timingOverrides) {
    JsonNode all = presets();
    JsonNode preset = all.get(name);
    if (preset == null) {
      throw new InputException("unknown standard '" + name + "'; expected one of " + names());
    }
    Resolved r = resolve(all, name, preset, 0);
    JsonNode family = family(r.family);
    Map<String, Integer> org = new LinkedHashMap<>(r.org);
    orgOverrides.forEach((k, v) -> {
      if (!ORG_KEYS.contains(k)) {
        throw new InputException("unknown organisation key 'org." + k + "'; expected one of " + ORG_KEYS);
      }
      org.put(k, exactInt("org." + k, v));
    });
    Organization o = organization(name, org);
    double tCK = 1000.0 / r.commandClockMHz;
    Map<String, Integer> timing = new LinkedHashMap<>(r.timing);
    timingOverrides.forEach((k, v) -> {
      String cycles = k.startsWith("t") ? "n" + k.substring(1) : k;
      if (!timing.containsKey(cycles)) {
        throw new InputException("unknown timing '" + k + "' for " + name + "; expected one of " + timing.keySet()
            + " (in cycles) or the same names starting with 't' (in ns)");
      }
      double d = v.doubleValue();
      if (!(d >= 0) || Double.isInfinite(d)) {
        throw new InputException("timing '" + k + "' must be a non-negative number, got " + v);
      }
      timing.put(cycles, k.startsWith("t") ? jedecRound(d, tCK) : exactInt("timing." + k, v));
    });
    if (o.burstLength() % r.beats() != 0 || timing.get("nBL") != o.burstLength() / r.beats()) {
      throw new InputException(name + ": nBL must equal burstLength / (rateMbps / commandClockMHz) = "
          + o.burstLength() / Math.max(1, r.beats()) + ", got " + timing.get("nBL"));
    }
    List<CommandSpec> commands = commands(name, family);
    List<TimingConstraint> constraints = constraints(name, family, commands, timing);
    return new DramStandard(name, r.family, r.source, o, r.rateMbps, r.commandClockMHz, timing, commands,
        constraints);
  }

  private record Resolved(String family, String source, Map<String, Integer> org, int rateMbps,
      int commandClockMHz, Map<String, Integer> timing) {
    int beats() {
      return rateMbps / commandClockMHz;
    }
  }

  private static Resolved resolve(JsonNode all, String name, JsonNode preset, int depth) {
    if (depth > 8) {
      throw new InputException("standard '" + name + "': 'derive' chain too long (cycle?)");
    }
    checkKeys("standard '" + name + "'", preset, PRESET_KEYS);
    int rate = positiveInt(name + ".rateMbps", preset.get("rateMbps"));
    int clock = positiveInt(name + ".commandClockMHz", preset.get("commandClockMHz"));
    if (rate % clock != 0) {
      throw new InputException(name + ": rateMbps must be a whole multiple of commandClockMHz");
    }
    String source = preset.path("source").asText("");
    Map<String, Integer> org = new LinkedHashMap<>();
    Map<String, Integer> timing = new LinkedHashMap<>();
    String family = preset.path("family").asText(null);
    if (preset.has("derive")) {
      String from = preset.get("derive").asText();
      JsonNode base = all.get(from);
      if (base == null) {
        throw new InputException("standard '" + name + "' derives from unknown standard '" + from + "'");
      }
      Resolved b = resolve(all, from, base, depth + 1);
      family = family == null ? b.family : family;
      org.putAll(b.org);
      JsonNode fam = family(b.family);
      Set<String> clockTimings = textSet(fam.path("timings").path("tck"));
      double baseTck = 1000.0 / b.commandClockMHz;
      double tCK = 1000.0 / clock;
      b.timing.forEach((k, v) -> {
        // Analog timings keep their nanoseconds; bus timings keep their cycles.
        timing.put(k, clockTimings.contains(k) ? v : jedecRound(v * baseTck, tCK));
      });
      timing.put("nBL", readOrg(preset, org).getOrDefault("burstLength", org.get("burstLength")) / (rate / clock));
    }
    if (family == null) {
      throw new InputException("standard '" + name + "' names no family");
    }
    org.putAll(readOrg(preset, org));
    JsonNode t = preset.path("timing");
    for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int v = e.getValue().isIntegralNumber() ? e.getValue().intValue() : -1;
      if (v < 0) {
        throw new InputException("standard '" + name + "': timing." + e.getKey()
            + " must be a non-negative integer number of cycles, got " + e.getValue());
      }
      timing.put(e.getKey(), v);
    }
    return new Resolved(family, source, org, rate, clock, timing);
  }

  private static Map<String, Integer> readOrg(JsonNode preset, Map<String, Integer> base) {
    Map<String, Integer> org = new LinkedHashMap<>();
    JsonNode o = preset.path("org");
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!ORG_KEYS.contains(e.getKey())) {
        throw new InputException("unknown organisation key 'org." + e.getKey() + "'; expected one of " + ORG_KEYS);
      }
      if (!e.getValue().isIntegralNumber()) {
        throw new InputException("org." + e.getKey() + " must be an integer, got " + e.getValue());
      }
      org.put(e.getKey(), e.getValue().intValue());
    }
    return org;
  }

  private static Organization organization(String name, Map<String, Integer> org) {
    for (String k : ORG_KEYS) {
      Integer v = org.get(k);
      if (v == null || v <= 0) {
        throw new InputException("standard '" + name + "': org." + k + " must be a positive integer, got " + v);
      }
    }
    Organization o = new Organization(org.get("channels"), org.get("pseudoChannels"), org.get("ranks"),
        org.get("bankGroups"), org.get("banks"), org.get("rows"), org.get("columns"), org.get("dqBits"),
        org.get("burstLength"), org.get("bundlesPerRank"), org.get("dieDensityGb"));
    if (o.banks() % o.bundlesPerRank() != 0) {
      throw new InputException("standard '" + name + "': org.banks (" + o.banks()
          + ") must be a multiple of org.bundlesPerRank (" + o.bundlesPerRank() + ")");
    }
    if (o.dqBits() * o.burstLength() % 8 != 0) {
      throw new InputException("standard '" + name + "': dqBits x burstLength must be whole bytes");
    }
    return o;
  }

  private static List<CommandSpec> commands(String name, JsonNode family) {
    List<JsonNode> rows = new ArrayList<>();
    family.path("commands").forEach(rows::add);
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (JsonNode c : rows) {
      ids.put(c.path("name").asText(), ids.size());
    }
    List<CommandSpec> out = new ArrayList<>();
    for (JsonNode c : rows) {
      String cmd = c.path("name").asText();
      checkKeys("command " + cmd, c, Set.of("name", "scope", "bus", "opens", "closes", "access", "refresh", "path",
          "open", "close", "autoPrecharge"));
      Scope scope = Scope.byKey(c.path("scope").asText());
      if (scope == null) {
        throw new InputException(name + ": command " + cmd + " has unknown scope '" + c.path("scope").asText() + "'");
      }
      CommandSpec.Bus bus = "row".equals(c.path("bus").asText()) ? CommandSpec.Bus.ROW : CommandSpec.Bus.COLUMN;
      String access = c.path("access").asText("none");
      CommandSpec.Access a = switch (access) {
        case "read" -> CommandSpec.Access.READ;
        case "write" -> CommandSpec.Access.WRITE;
        default -> CommandSpec.Access.NONE;
      };
      DataPath path = DataPath.byKey(c.path("path").asText("xpu"));
      out.add(new CommandSpec(ids.get(cmd), cmd, scope, bus, c.path("opens").asBoolean(false),
          c.path("closes").asBoolean(false), a, c.path("refresh").asBoolean(false), path,
          ref(name, ids, c, "open"), ref(name, ids, c, "close"), ref(name, ids, c, "autoPrecharge")));
    }
    return out;
  }

  private static int ref(String name, Map<String, Integer> ids, JsonNode c, String key) {
    if (!c.has(key)) {
      return -1;
    }
    Integer id = ids.get(c.get(key).asText());
    if (id == null) {
      throw new InputException(name + ": command " + c.path("name").asText() + "." + key + " names unknown command "
          + c.get(key).asText());
    }
    return id;
  }

  private static List<TimingConstraint> constraints(String name, JsonNode family, List<CommandSpec> commands,
      Map<String, Integer> timing) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    family.path("groups").fields().forEachRemaining(e -> {
      List<String> members = new ArrayList<>();
      e.getValue().forEach(n -> members.add(n.asText()));
      groups.put(e.getKey(), members);
    });
    List<TimingConstraint> out = new ArrayList<>();
    for (JsonNode row : family.path("constraints")) {
      Level level = Level.byKey(row.path("level").asText());
      if (level == null || level.ordinal() < Level.PSEUDO_CHANNEL.ordinal() || level.ordinal() > Level.BANK.ordinal()) {
        throw new InputException(name + ": constraint level '" + row.path("level").asText()
            + "' must be one of pseudoChannel, rank, bankGroup, bank (controllers are per pseudo-channel)");
      }
      int[] pre = commandList(name, row.path("preceding"), groups, commands);
      int[] fol = commandList(name, row.path("following"), groups, commands);
      String expr = row.path("latency").asText();
      int latency = evaluate(name, expr, timing);
      int window = row.path("window").asInt(1);
      boolean sibling = row.path("sibling").asBoolean(false);
      String text = level.key() + ": " + row.path("preceding") + " -> " + row.path("following") + " >= " + expr
          + (window > 1 ? " (window " + window + ")" : "") + (sibling ? " (sibling)" : "");
      out.add(new TimingConstraint(level, pre, fol, latency, window, sibling, text));
    }
    return out;
  }

  private static int[] commandList(String name, JsonNode list, Map<String, List<String>> groups,
      List<CommandSpec> commands) {
    List<Integer> ids = new ArrayList<>();
    for (JsonNode n : list) {
      List<String> names = groups.getOrDefault(n.asText(), List.of(n.asText()));
      for (String c : names) {
        int id = -1;
        for (CommandSpec s : commands) {
          if (s.name().equals(c)) {
            id = s.id();
          }
        }
        if (id < 0) {
          throw new InputException(name + ": constraint names unknown command or group '" + c + "'");
        }
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Evaluates a latency expression: integer literals and timing names joined by + and -. */
  static int evaluate(String name, String expr, Map<String, Integer> timing) {
    int total = 0;
    int sign = 1;
    for (String tok : expr.replace("+", " + ").replace("-", " - ").trim().split("\\s+")) {
      if (tok.equals("+")) {
        sign = 1;
      } else if (tok.equals("-")) {
        sign = -1;
      } else {
        int v;
        if (tok.chars().allMatch(Character::isDigit)) {
          v = Integer.parseInt(tok);
        } else {
          Integer t = timing.get(tok);
          if (t == null) {
            throw new InputException(name + ": latency '" + expr + "' uses unknown timing '" + tok + "'");
          }
          v = t;
        }
        total += sign * v;
      }
    }
    return Math.max(0, total);
  }

  /** JEDEC rounding: ns to cycles, up, forgiving floating-point noise of 0.1%. */
  static int jedecRound(double ns, double tCKns) {
    return (int) Math.ceil(ns / tCKns - 0.001);
  }

  private static int exactInt(String key, Number v) {
    double d = v.doubleValue();
    if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
      throw new InputException(key + " must be a non-negative integer, got " + v);
    }
    return (int) d;
  }

  private static int positiveInt(String key, JsonNode n) {
    if (n == null || !n.isIntegralNumber() || n.intValue() <= 0) {
      throw new InputException(key + " must be a positive integer, got " + n);
    }
    return n.intValue();
  }

  private static void checkKeys(String where, JsonNode node, Set<String> allowed) {
    node.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        throw new InputException(where + ": unknown key '" + k + "'; expected one of " + allowed);
      }
    });
  }

  private static Set<String> textSet(JsonNode list) {
    Set<String> s = new java.util.HashSet<>();
    list.forEach(n -> s.add(n.asText()));
    return s;
  }

  private static JsonNode presets() {
    return read("presets.yaml");
  }

  private static JsonNode family(String family) {
    return read(family + ".yaml");
  }

  /** Parsed bundled files; read-only once parsed. */
  private static final java.util.concurrent.ConcurrentHashMap<String, JsonNode> FILES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static JsonNode read(String file) {
    return FILES.computeIfAbsent(file, Standards::parse);
  }

  private static JsonNode parse(String file) {
    try (InputStream in = Standards.class.getResourceAsStream(BASE + file)) {
      if (in == null) {
        throw new InputException("no bundled standard file " + file);
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
