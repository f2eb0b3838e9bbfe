package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duplexsim.validation.cli.MainBadInputTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end runs of {@code duplexsim memory} and {@code duplexsim list}: these need the memory
 * simulation itself ({@code MemorySimulation.run}).
 */
class MemoryCommandEndToEndTest {
  private static final List<String> KEYS = List.of("standard", "stacks", "pseudo_channels", "requests", "reads",
      "writes", "cycles", "sim_time_ns", "bandwidth_GBps", "peak_GBps", "avg_read_latency_ns",
      "p99_read_latency_ns", "row_hits", "row_misses", "row_conflicts", "energy_pJ", "pJ_per_bit", "violations",
      "wall_s", "sim_cycles_per_s");
  private static final Set<String> WALL_CLOCK = Set.of("wall_s", "sim_cycles_per_s");

  @TempDir
  Path dir;

  private static JsonNode json(String... args) throws IOException {
    Run r = MainBadInputTest.run(args);
    assertEquals(0, r.status(), () -> "status; err: " + r.err());
    return new ObjectMapper().readTree(r.out());
  }

  private static void sameSimulatedNumbers(JsonNode a, JsonNode b) {
    for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!WALL_CLOCK.contains(k)) {
        assertEquals(a.get(k), b.get(k), "key " + k);
      }
    }
    assertEquals(a.size(), b.size());
  }

  @Test
  void twoThreadsGiveTheSameSimulatedNumbersAndSaySo() throws IOException {
    JsonNode one = json("memory", "--pattern", "mix", "--requests", "5000", "--check", "--json");
    JsonNode two = json("memory", "--pattern", "mix", "--requests", "5000", "--check", "--threads", "2", "--json");
    assertEquals(1, one.get("threads").asInt());
    assertEquals(2, two.get("threads").asInt());
    for (Iterator<String> it = one.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!WALL_CLOCK.contains(k) && !k.equals("threads") && !k.equals("component_ticks")) {
        assertEquals(one.get(k), two.get(k), "key " + k);
      }
    }
  }

  @Test
  void threadsBelowOneInAConfigFileIsAnInputError() throws IOException {
    Path cfg = dir.resolve("m.yaml");
    Files.writeString(cfg, "pattern: random\nrequests: 100\nthreads: 0\n");
    Run r = MainBadInputTest.run("memory", "--config", cfg.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("threads must be at least 1, got 0"), r.err());
  }

  @Test
  void perChannelShowsAStrideOfOnePseudoChannelWidthConcentrated() throws IOException {
    // Under the default mapping the pseudo-channel bits sit just above the 32-byte access: a 1 KiB stride
    // (32 pseudo-channels x 32 B) keeps every request in pseudo-channel 0.
    JsonNode j = json("memory", "--pattern", "strided", "--stride", "1KiB", "--requests", "3000", "--per-channel",
        "--json");
    JsonNode pcs = j.get("per_pseudo_channel");
    assertEquals(32, pcs.size());
    assertEquals(0, pcs.get(0).get("pseudo_channel").asInt());
    assertEquals(3000, pcs.get(0).get("reads").asLong());
    assertEquals(j.get("bandwidth_GBps").asDouble(), pcs.get(0).get("bandwidth_GBps").asDouble(), 1e-9);
    assertEquals(j.get("avg_read_latency_ns").asDouble(), pcs.get(0).get("avg_read_latency_ns").asDouble(), 1e-9);
    for (int pc = 1; pc < 32; pc++) {
      assertEquals(0, pcs.get(pc).get("reads").asLong() + pcs.get(pc).get("writes").asLong(), "pseudo-channel " + pc);
    }
    assertFalse(json("memory", "--pattern", "stream", "--requests", "100", "--json").has("per_pseudo_channel"));
  }

  @Test
  void epochCyclesCutTheRunIntoEpochsThatAddUp() throws IOException {
    JsonNode j = json("memory", "--pattern", "stream", "--requests", "20000", "--epoch-cycles", "500", "--json");
    assertEquals(500, j.get("epoch_cycles").asLong());
    JsonNode epochs = j.get("epochs");
    assertEquals((j.get("cycles").asLong() + 499) / 500, epochs.size());
    long reads = 0;
    for (JsonNode e : epochs) {
      reads += e.get("reads").asLong();
    }
    assertEquals(20000, reads);
    assertEquals(500 * 1000.0 / 1300, epochs.get(1).get("start_ns").asDouble(), 1e-9); // HBM3-5.2: 1.3 GHz
  }

  @Test
  void latencyChartIsAPng() throws IOException {
    Path png = dir.resolve("latency.png");
    json("memory", "--pattern", "mix", "--requests", "3000", "--latency-chart", png.toString(), "--json");
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
    assertEquals("\u0089PNG", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  @Test
  void epochChartIsAPngAndLeavesTheJsonAlone() throws IOException {
    Path png = dir.resolve("charts/bandwidth.png");
    JsonNode j = json("memory", "--pattern", "random", "--requests", "5000", "--epoch-chart", png.toString(), "--json");
    assertFalse(j.has("epochs"));
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
    assertEquals("\u0089PNG", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  @Test
  void commandTraceHasALinePerCommandTheSameOnTwoThreads() throws IOException {
    Path one = dir.resolve("one.csv");
    Path two = dir.resolve("two.csv");
    JsonNode j = json("memory", "--pattern", "mix", "--requests", "3000", "--command-trace", one.toString(), "--json");
    json("memory", "--pattern", "mix", "--requests", "3000", "--command-trace", two.toString(), "--threads", "2",
        "--json");
    List<String> lines = Files.readAllLines(one);
    assertEquals("cycle,pseudo_channel,command,rank,bank_group,bank,row,column", lines.get(0));
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    long lastCycle = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      assertEquals(8, f.length, line);
      assertTrue(Long.parseLong(f[0]) >= lastCycle, "issue order: " + line);
      lastCycle = Long.parseLong(f[0]);
      counts.merge(f[2], 1L, Long::sum);
    }
    java.util.Map<String, Long> expected = new java.util.TreeMap<>();
    j.get("commands").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asLong()));
    expected.values().removeIf(v -> v == 0);
    assertEquals(expected, counts);
    assertEquals(lines, Files.readAllLines(two));
  }

  @Test
  void perChannelFiguresAddUpToTheTotals() throws IOException {
    JsonNode j = json("memory", "--pattern", "mix", "--requests", "6000", "--per-channel", "--json");
    long reads = 0;
    long writes = 0;
    long hits = 0;
    long conflicts = 0;
    double gbps = 0;
    double latencyTimesReads = 0;
    for (JsonNode pc : j.get("per_pseudo_channel")) {
      reads += pc.get("reads").asLong();
      writes += pc.get("writes").asLong();
      hits += pc.get("row_hits").asLong();
      conflicts += pc.get("row_conflicts").asLong();
      gbps += pc.get("bandwidth_GBps").asDouble();
      latencyTimesReads += pc.get("avg_read_latency_ns").asDouble() * pc.get("reads").asLong();
    }
    assertEquals(j.get("reads").asLong(), reads);
    assertEquals(j.get("writes").asLong(), writes);
    assertEquals(j.get("row_hits").asLong(), hits);
    assertEquals(j.get("row_conflicts").asLong(), conflicts);
    assertEquals(j.get("bandwidth_GBps").asDouble(), gbps, 1e-6);
    assertEquals(j.get("avg_read_latency_ns").asDouble(), latencyTimesReads / reads, 1e-6);
  }

  @Test
  void perChannelTextTableHasARowPerPseudoChannel() {
    Run r = MainBadInputTest.run("memory", "--pattern", "stream", "--requests", "2000", "--per-channel");
    assertEquals(0, r.status(), r.err());
    List<String> rows = r.out().lines().dropWhile(l -> !l.startsWith("pCH")).toList();
    assertEquals(33, rows.size(), r.out());
    assertTrue(rows.get(1).startsWith("0 "), rows.get(1));
  }

  @Test
  void streamPatternJson() throws IOException {
    JsonNode j = json("memory", "--pattern", "stream", "--requests", "2000", "--json");
    assertTrue(j.isObject());
    for (String k : KEYS) {
      assertTrue(j.has(k), "missing key " + k + " in " + j);
    }
    assertEquals(2000, j.get("requests").asLong());
    assertEquals(2000, j.get("reads").asLong());
    assertEquals(0, j.get("writes").asLong());
    assertEquals("HBM3-5.2", j.get("standard").asText());
    assertEquals(1, j.get("stacks").asInt());
    assertTrue(j.get("bandwidth_GBps").asDouble() > 0);
    assertTrue(j.get("bandwidth_GBps").asDouble() <= j.get("peak_GBps").asDouble());
  }

  @Test
  void configFileGivesTheSameNumbersAsFlags() throws IOException {
    JsonNode flags = json("memory", "--pattern", "mix", "--requests", "3000", "--seed", "7", "--standard",
        "HBM3-6.4", "--page-policy", "closed", "--read-fraction", "0.5", "--footprint", "64MiB", "--json");
    Path cfg = dir.resolve("mix.yaml");
    Files.writeString(cfg, "pattern: mix\nrequests: 3000\nseed: 7\nstandard: HBM3-6.4\npage_policy: closed\n"
        + "read-fraction: 0.5\nfootprint: 64MiB\njson: true\n");
    sameSimulatedNumbers(flags, json("memory", "--config", cfg.toString()));
    // Flags override the file.
    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"pattern\": \"stream\", \"requests\": 10, \"standard\": \"HBM2E-3.2\","
        + " \"seed\": 7, \"page_policy\": \"open\", \"read_fraction\": 0.5, \"footprint\": 67108864}");
    sameSimulatedNumbers(flags, json("memory", "--config", other.toString(), "--pattern", "mix", "--requests",
        "3000", "--standard", "HBM3-6.4", "--page-policy", "closed", "--json"));
  }

  @Test
  void bundledSampleScenario() throws IOException {
    Path cfg = Path.of("..", "scenarios", "memory-sample.yaml");
    JsonNode j = json("memory", "--config", cfg.toString(), "--json");
    long lines = Files.readAllLines(Path.of("..", "scenarios", "traces", "sample-ramulator.trace")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    assertEquals(lines, j.get("requests").asLong());
    assertTrue(j.get("writes").asLong() > 0 && j.get("reads").asLong() > j.get("writes").asLong());
    assertEquals(0, j.get("violations").asLong());
  }

  @Test
  void tableOutput() {
    Run r = MainBadInputTest.run("memory", "--pattern", "stream", "--requests", "500");
    assertEquals(0, r.status(), r.err());
    for (String k : List.of("bandwidth_GBps", "p99_read_latency_ns", "row_hits", "energy_pJ")) {
      assertTrue(r.out().contains(k), r.out());
    }
  }

  @Test
  void listStandards() {
    Run r = MainBadInputTest.run("list", "standards");
    assertEquals(0, r.status(), r.err());
    for (String s : List.of("HBM3-5.2", "HBM3-6.4", "HBM3E-8.0", "HBM2E-3.2")) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(s + " ")), () -> s + " in\n" + r.out());
    }
    assertTrue(r.out().contains("665.6 GB/s"), r.out());
  }

  @Test
  void aPatternWrittenAsATraceRunsToTheSameNumbers() throws IOException {
    Path file = dir.resolve("random.trace");
    JsonNode pattern = json("memory", "--pattern", "random", "--requests", "3000", "--seed", "5", "--write-trace",
        file.toString(), "--json");
    assertEquals(3000, Files.readAllLines(file).size());
    sameSimulatedNumbers(pattern, json("memory", "--trace", file.toString(), "--json"));
  }

  @Test
  void aTraceItsFormatCannotHoldIsBadInput() {
    String message = MainBadInputTest.badInput("memory", "--pattern", "stream", "--requests", "10", "--write-trace",
        "dramsim3:" + dir.resolve("s.trace"));
    assertTrue(message.contains("issue cycles"), message);
    assertTrue(!Files.exists(dir.resolve("s.trace")));
  }
}
