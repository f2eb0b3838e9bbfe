package io.duplexsim.units.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.trace.TraceJsonl;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.OpResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The memo fidelity's cycle-level prices kept on disk, so that later runs of the same build on the same
 * hardware reuse them instead of simulating each op shape again (as Vidur reuses a profile; here the
 * "profile" is this simulator's own cycle-level results). Entries are keyed by the op's shape, in a file
 * per fingerprint: the build (checksums of the jar's pricing code, presets and libraries), the device, memory and system configuration and the
 * memo's bucketing. A price read back is the price the simulation would compute again (it is
 * deterministic), so results with and without the store are identical (tested).
 *
 * <p>{@link #inMemory()} keeps the prices for the life of the process only: the runs of a sweep, a
 * comparison or a suite on the same hardware share them.
 *
 * <p>One JSON object per line, as this class writes it: {@code {"op":{...shape...},"result":{...OpResult...}}},
 * or for a cycle-level run that prices are built from (composed attention's pair runs and streams)
 * {@code {"calibration":"name","run":{...}}}. A line is parsed when a run first asks for its shape or
 * name; until then it is kept as text and saved as it was. Saving merges
 * with what other runs saved meanwhile and replaces the file atomically; two processes saving at once can
 * lose one's new entries (they are simulated again later), never corrupt the file. A long run also saves
 * as it goes ({@link #saveIfDue}), so a first run that is stopped keeps most of what it simulated.
 */
public final class MemoStore {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);
  /** Saves within one JVM (parallel runs of a sweep) take turns per file. */
  private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();
  private static volatile String build;

  /** Null for a store kept in memory only. */
  private final Path file;
  /** Prices read back or simulated in this process. */
  private final Map<Instruction, OpResult> entries = new ConcurrentHashMap<>();
  /** The file's prices not read back yet, by their shape's JSON: a run reads a few hundred of its thousands. */
  private final Map<String, Line> unread;
  private final Map<Instruction, OpResult> added = new ConcurrentHashMap<>();
  /** Shapes being simulated right now, by the run that simulates them. */
  private final Map<Instruction, CompletableFuture<OpResult>> inFlight = new ConcurrentHashMap<>();
  /** Cycle-level runs that prices are built from (composed attention's pair runs), by name. */
  private final Map<String, JsonNode> calibrations = new ConcurrentHashMap<>();
  private final Map<String, Line> unreadCalibrations;
  private final Map<String, JsonNode> addedCalibrations = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<JsonNode>> calibrating = new ConcurrentHashMap<>();
  /** When this store last saved (or opened), System.nanoTime(). */
  private final AtomicLong savedAt = new AtomicLong(System.nanoTime());

  private MemoStore(Path file, Contents contents) {
    this.file = file;
    // runs of a sweep or suite share a store from their threads
    this.unread = new ConcurrentHashMap<>(contents.prices());
    this.unreadCalibrations = new ConcurrentHashMap<>(contents.calibrations());
  }

  /**
   * What a store file holds, line by line: op prices by their shape's JSON, named calibration runs by
   * name. Lines are parsed when a run asks for them (parsing them all cost every run half a second).
   */
  private record Contents(Map<String, Line> prices, Map<String, Line> calibrations) {}

  /**
   * One line of the file: {@code {"op":SHAPE,"result":PRICE}}, keyed by its shape's JSON, or
   * {@code {"calibration":"NAME","run":RUN}}, keyed by its name; its value (price or run) starts at
   * {@code valueAt}.
   */
  private record Line(int number, String text, String key, int valueAt) {
    static final String OP = "{\"op\":";
    static final String RESULT = "},\"result\":";
    static final String CALIBRATION = "{\"calibration\":\"";
    static final String RUN = "\",\"run\":";

    String value() {
      return text.substring(valueAt, text.length() - 1);
    }

    /** The line, or null when it is not shaped as a store line (then it is not one). */
    static Line of(int number, String text) throws IOException {
      if (!text.endsWith("}")) {
        return null;
      }
      if (text.startsWith(OP)) {
        int split = text.indexOf(RESULT);
        return split < 0 ? null : new Line(number, text, text.substring(OP.length(), split + 1),
            split + RESULT.length());
      }
      if (text.startsWith(CALIBRATION)) {
        // quotes inside a name are escaped, so the name ends at the first unescaped ","run":
        int split = text.indexOf(RUN);
        if (split < 0) {
          return null;
        }
        String name = text.substring(CALIBRATION.length(), split);
        if (name.indexOf('\\') >= 0) {
          name = MAPPER.readValue("\"" + name + "\"", String.class);
        }
        return new Line(number, text, name, split + RUN.length());
      }
      return null;
    }
  }

  /** The file this store keeps its prices in, or null for a store in memory only. */
  public Path file() {
    return file;
  }

  /** A store in memory only: it lives as long as the process, for the runs it serves. */
  public static MemoStore inMemory() {
    return new MemoStore(null, new Contents(Map.of(), Map.of()));
  }

  /**
   * Opens (or starts) the store for {@code fingerprint} in {@code dir}; InputException when the directory
   * cannot be made or an existing file is not a memo store.
   */
  public static MemoStore open(Path dir, String fingerprint) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("memo-store: cannot create directory " + dir + " (" + e.getMessage() + ")");
    }
    Path file = dir.resolve("memo-" + fingerprint + ".jsonl");
    return new MemoStore(file, read(file));
  }

  /**
   * The fingerprint of a memo over {@code configuration} (the device, memory and system records and the
   * memo's settings): this build's identity and the configuration's text, hashed.
   */
  public static String fingerprint(List<?> configuration) {
    String text;
    try {
      text = CANONICAL.writeValueAsString(configuration); // maps by key: Map.copyOf's order varies per JVM
    } catch (IOException e) {
      throw new IllegalArgumentException("memo-store: cannot describe the configuration", e);
    }
    return sha256((buildId() + "\n" + text).getBytes(StandardCharsets.UTF_8)).substring(0, 24);
  }

  /**
   * The stored price of {@code shape}, or else {@code simulate}'s, run by one caller only: runs sharing
   * the store from other threads wait for that price instead of simulating the shape again.
   */
  OpResult priceOnce(Instruction shape, Supplier<OpResult> simulate) {
    if (!entries.containsKey(shape) && !unread.isEmpty()) {
      Line line = unread.get(shapeJson(shape));
      if (line != null) {
        entries.putIfAbsent(shape, parse(line, l -> MAPPER.readValue(l.value(), OpResult.class)));
      }
    }
    return once(entries, inFlight, file == null ? null : added, shape, simulate);
  }

  /** A shape's JSON as the file holds it. */
  private static String shapeJson(Instruction shape) {
    try {
      return MAPPER.writeValueAsString(TraceJsonl.encode(shape));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface LineReader<T> {
    T read(Line line) throws IOException;
  }

  private <T> T parse(Line line, LineReader<T> reader) {
    try {
      return reader.read(line);
    } catch (IOException | RuntimeException e) {
      throw damaged(file, line.number(), e);
    }
  }

  private static InputException damaged(Path file, int line, Exception e) {
    return new InputException(file + " line " + line + ": not a memo-store entry (" + e.getMessage()
        + "); delete the file to start it again");
  }

  /**
   * The stored calibration run named {@code name} (read back as {@code type}), or else
   * {@code simulate}'s, run by one caller only, as {@link #priceOnce}.
   */
  public <T> T calibrationOnce(String name, Class<T> type, Supplier<T> simulate) {
    Line line = calibrations.containsKey(name) ? null : unreadCalibrations.get(name);
    if (line != null) {
      calibrations.putIfAbsent(name, parse(line, l -> MAPPER.readTree(l.value())));
    }
    JsonNode node = once(calibrations, calibrating, file == null ? null : addedCalibrations, name,
        () -> MAPPER.valueToTree(simulate.get()));
    try {
      return MAPPER.treeToValue(node, type);
    } catch (IOException e) {
      throw new IllegalStateException("memo-store: calibration " + name + " does not read back", e);
    }
  }

  private static <K, V> V once(Map<K, V> entries, Map<K, CompletableFuture<V>> inFlight, Map<K, V> added, K key,
      Supplier<V> simulate) {
    V known = entries.get(key);
    if (known != null) {
      return known;
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (CompletionException e) { // the simulating run's failure (bad input), rethrown as it was
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      known = entries.get(key); // finished between the first look and putIfAbsent
      if (known == null) {
        known = simulate.get();
        entries.put(key, known);
        if (added != null) {
          added.put(key, known);
        }
      }
      mine.complete(known);
      return known;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /**
   * Saves if entries were added and {@code intervalNanos} have passed since this store last saved or
   * opened: one caller saves, the others go on. A stopped first run (minutes of new shapes) then loses at
   * most the last interval's; the prices are the same either way.
   */
  public void saveIfDue(long intervalNanos) {
    long last = savedAt.get();
    long now = System.nanoTime();
    if (file == null || now - last < intervalNanos || added.isEmpty() && addedCalibrations.isEmpty()
        || !savedAt.compareAndSet(last, now)) {
      return;
    }
    save();
  }

  /** Writes the entries added since opening, merged with the file as it is now. */
  public void save() {
    if (file == null || added.isEmpty() && addedCalibrations.isEmpty()) {
      return;
    }
    savedAt.set(System.nanoTime());
    synchronized (LOCKS.computeIfAbsent(file.toAbsolutePath(), k -> new Object())) {
      Contents contents = read(file);
      // lines as they are, by key; what this run added replaces a line with its key. Written in key order,
      // so the file depends only on what it holds, not on the order runs found (or threads saved) it.
      Map<String, String> prices = new TreeMap<>();
      contents.prices().forEach((k, line) -> prices.put(k, line.text()));
      Map<String, String> calibrationLines = new TreeMap<>();
      contents.calibrations().forEach((k, line) -> calibrationLines.put(k, line.text()));
      Map<Instruction, OpResult> saving = new LinkedHashMap<>(added);
      Map<String, JsonNode> savingCalibrations = new LinkedHashMap<>(addedCalibrations);
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
      try {
        for (Map.Entry<Instruction, OpResult> e : saving.entrySet()) {
          ObjectNode line = MAPPER.createObjectNode();
          line.set("op", TraceJsonl.encode(e.getKey()));
          line.set("result", MAPPER.valueToTree(e.getValue()));
          prices.put(shapeJson(e.getKey()), MAPPER.writeValueAsString(line));
        }
        for (Map.Entry<String, JsonNode> e : savingCalibrations.entrySet()) {
          ObjectNode line = MAPPER.createObjectNode();
          line.put("calibration", e.getKey());
          line.set("run", e.getValue());
          calibrationLines.put(e.getKey(), MAPPER.writeValueAsString(line));
        }
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          for (String line : prices.values()) {
            w.write(line);
            w.newLine();
          }
          for (String line : calibrationLines.values()) {
            w.write(line);
            w.newLine();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("memo-store: cannot write " + tmp, e);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        try {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e2) {
          throw new UncheckedIOException("memo-store: cannot replace " + file, e2);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("memo-store: cannot replace " + file, e);
      }
      saving.keySet().forEach(added::remove);
      savingCalibrations.keySet().forEach(addedCalibrations::remove);
    }
  }

  private static Contents read(Path file) {
    Map<String, Line> prices = new LinkedHashMap<>();
    Map<String, Line> calibrations = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return new Contents(prices, calibrations);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException("memo-store: cannot read " + file + " (" + e.getMessage() + ")");
    }
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (text.isBlank()) {
        continue;
      }
      Line line;
      try {
        line = Line.of(i + 1, text);
      } catch (IOException e) {
        throw damaged(file, i + 1, e);
      }
      if (line == null) {
        throw damaged(file, i + 1, new IllegalArgumentException("neither {\"op\":...,\"result\":...} nor "
            + "{\"calibration\":\"name\",\"run\":...} as this simulator writes them"));
      }
      (text.startsWith(Line.OP) ? prices : calibrations).put(line.key(), line);
    }
    return new Contents(prices, calibrations);
  }

  /**
   * The jar's entries that compute prices ({@link #prices}), each with its CRC-32 and size, hashed (a
   * simulator whose pricing code changed starts new stores; a rebuild that changes none keeps them), or
   * the class directory's path in development. Only the jar's central directory is read, and the hash is
   * kept beside the jar under its size and modification time, so a run reads one small file (reading the
   * directory cost every run about 0.2 s).
   */
  private static String buildId() {
    String id = build;
    if (id == null) {
      try {
        Path where = Path.of(MemoStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        id = Files.isRegularFile(where) ? "jar:" + jarHash(where) : "classes:" + where.toAbsolutePath();
      } catch (IOException | URISyntaxException | NoSuchAlgorithmException | SecurityException e) {
        id = "unknown";
      }
      build = id;
    }
    return id;
  }

  /** The modules whose code and data compute an op's price (the serving engine and command line only ask). */
  private static final List<String> PRICING_MODULES = List.of("sim", "isa", "memory", "units");

  /**
   * Whether a jar entry can change a stored price: this module's and the ones below it (code and
   * presets), and the libraries; not the serving engine, the command line or their resources, which
   * choose what to price but not what a shape costs. So a change there keeps the stores.
   */
  static boolean prices(String entry) {
    for (String prefix : new String[] {"io/duplexsim/", "META-INF/maven/io.duplexsim/duplexsim-"}) {
      if (entry.startsWith(prefix)) {
        String module = entry.substring(prefix.length()).split("/", 2)[0];
        return PRICING_MODULES.contains(module);
      }
    }
    return !entry.startsWith("scenarios/");
  }

  /** The hash of {@code jar}'s entries, kept beside it ({@code .build-id}) under its size and modification time. */
  static String jarHash(Path jar) throws IOException, NoSuchAlgorithmException {
    String stamp = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + " ";
    Path kept = jar.resolveSibling(jar.getFileName() + ".build-id");
    try {
      String line = Files.readString(kept, StandardCharsets.UTF_8).trim();
      if (line.startsWith(stamp)) {
        return line.substring(stamp.length());
      }
    } catch (IOException e) {
      // not kept yet, or unreadable: hash the jar's directory
    }
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (!prices(entry.getName())) {
          continue;
        }
        md.update((entry.getName() + "\0" + entry.getCrc() + "\0" + entry.getSize() + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
    }
    String hash = HexFormat.of().formatHex(md.digest());
    Path tmp = null;
    try {
      tmp = Files.createTempFile(jar.toAbsolutePath().getParent(), kept.getFileName().toString(), ".tmp");
      Files.writeString(tmp, stamp + hash + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, kept, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException e) {
      // a read-only install: hash again next time
      try {
        if (tmp != null) {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException ignored) {
        // left for the directory's owner
      }
    }
    return hash;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
