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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The memo fidelity's cycle-level prices kept on disk, so that later runs of the same build on the same
 * hardware reuse them instead of simulating each op shape again (as Vidur reuses a profile; here the
 * "profile" is this simulator's own cycle-level results). Entries are keyed by the op's shape, in a file
 * per fingerprint: the build (the jar's entries and their checksums), the device, memory and system configuration and the
 * memo's bucketing. A price read back is the price the simulation would compute again (it is
 * deterministic), so results with and without the store are identical (tested).
 *
 * <p>{@link #inMemory()} keeps the prices for the life of the process only: the runs of a sweep, a
 * comparison or a suite on the same hardware share them.
 *
 * <p>One JSON object per line: {@code {"op": {...shape...}, "result": {...OpResult...}}}, or for a
 * cycle-level run that prices are built from (composed attention's pair runs and streams)
 * {@code {"calibration": "name", "run": {...}}}. Saving merges
 * with what other runs saved meanwhile and replaces the file atomically; two processes saving at once can
 * lose one's new entries (they are simulated again later), never corrupt the file.
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
  private final Map<Instruction, OpResult> entries;
  private final Map<Instruction, OpResult> added = new ConcurrentHashMap<>();
  /** Shapes being simulated right now, by the run that simulates them. */
  private final Map<Instruction, CompletableFuture<OpResult>> inFlight = new ConcurrentHashMap<>();
  /** Cycle-level runs that prices are built from (composed attention's pair runs), by name. */
  private final Map<String, JsonNode> calibrations;
  private final Map<String, JsonNode> addedCalibrations = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<JsonNode>> calibrating = new ConcurrentHashMap<>();

  private MemoStore(Path file, Contents contents) {
    this.file = file;
    // runs of a sweep or suite share a store from their threads
    this.entries = new ConcurrentHashMap<>(contents.prices());
    this.calibrations = new ConcurrentHashMap<>(contents.calibrations());
  }

  /** What a store file holds: op prices and named calibration runs. */
  private record Contents(Map<Instruction, OpResult> prices, Map<String, JsonNode> calibrations) {}

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
    return once(entries, inFlight, file == null ? null : added, shape, simulate);
  }

  /**
   * The stored calibration run named {@code name} (read back as {@code type}), or else
   * {@code simulate}'s, run by one caller only, as {@link #priceOnce}.
   */
  public <T> T calibrationOnce(String name, Class<T> type, Supplier<T> simulate) {
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

  /** Writes the entries added since opening, merged with the file as it is now. */
  public void save() {
    if (file == null || added.isEmpty() && addedCalibrations.isEmpty()) {
      return;
    }
    synchronized (LOCKS.computeIfAbsent(file.toAbsolutePath(), k -> new Object())) {
      Contents contents = read(file);
      Map<Instruction, OpResult> merged = contents.prices();
      Map<Instruction, OpResult> saving = new LinkedHashMap<>(added);
      merged.putAll(saving);
      Map<String, JsonNode> mergedCalibrations = contents.calibrations();
      Map<String, JsonNode> savingCalibrations = new LinkedHashMap<>(addedCalibrations);
      mergedCalibrations.putAll(savingCalibrations);
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (Map.Entry<Instruction, OpResult> e : merged.entrySet()) {
          ObjectNode line = MAPPER.createObjectNode();
          line.set("op", TraceJsonl.encode(e.getKey()));
          line.set("result", MAPPER.valueToTree(e.getValue()));
          w.write(MAPPER.writeValueAsString(line));
          w.newLine();
        }
        for (Map.Entry<String, JsonNode> e : mergedCalibrations.entrySet()) {
          ObjectNode line = MAPPER.createObjectNode();
          line.put("calibration", e.getKey());
          line.set("run", e.getValue());
          w.write(MAPPER.writeValueAsString(line));
          w.newLine();
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
    Map<Instruction, OpResult> out = new LinkedHashMap<>();
    Map<String, JsonNode> calibrations = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return new Contents(out, calibrations);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException("memo-store: cannot read " + file + " (" + e.getMessage() + ")");
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        JsonNode line = MAPPER.readTree(lines.get(i));
        if (line.has("calibration")) {
          JsonNode run = line.get("run");
          if (run == null || !line.get("calibration").isTextual()) {
            throw new IllegalArgumentException("a calibration needs a name and a run");
          }
          calibrations.put(line.get("calibration").asText(), run);
          continue;
        }
        Instruction shape = TraceJsonl.decode((ObjectNode) line.get("op"));
        out.put(shape, MAPPER.treeToValue(line.get("result"), OpResult.class));
      } catch (IOException | RuntimeException e) {
        throw new InputException(file + " line " + (i + 1) + ": not a memo-store entry (" + e.getMessage()
            + "); delete the file to start it again");
      }
    }
    return new Contents(out, calibrations);
  }

  /**
   * The jar's entries, each with its CRC-32 and size, hashed (a rebuilt simulator starts new stores; only its
   * central directory is read: hashing all 30 MB cost every run about 0.1 s), or the class directory's
   * path in development.
   */
  private static String buildId() {
    String id = build;
    if (id == null) {
      try {
        Path where = Path.of(MemoStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(where)) {
          MessageDigest md = MessageDigest.getInstance("SHA-256");
          try (ZipFile jar = new ZipFile(where.toFile())) {
            for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
              ZipEntry entry = e.nextElement();
              md.update((entry.getName() + "\0" + entry.getCrc() + "\0" + entry.getSize() + "\n")
                  .getBytes(StandardCharsets.UTF_8));
            }
          }
          id = "jar:" + HexFormat.of().formatHex(md.digest());
        } else {
          id = "classes:" + where.toAbsolutePath();
        }
      } catch (IOException | URISyntaxException | NoSuchAlgorithmException | SecurityException e) {
        id = "unknown";
      }
      build = id;
    }
    return id;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
