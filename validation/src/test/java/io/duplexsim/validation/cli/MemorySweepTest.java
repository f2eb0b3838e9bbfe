package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `duplexsim sweep` over memory simulations: each run is `duplexsim memory` with the run's keys. */
class MemorySweepTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path file(String name, String... lines) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  private static List<JsonNode> jsonl(Path out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(out.resolve("sweep.jsonl"))) {
      lines.add(JSON.readTree(l));
    }
    return lines;
  }

  private static JsonNode memory(String... args) throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run(args);
    assertEquals(0, r.status(), r.err());
    return JSON.readTree(r.out());
  }

  @Test
  void eachRunIsTheMemoryCommandWithItsKeys() throws Exception {
    Path f = file("mem.yaml", "memory:", "  pattern: mix", "  requests: 4000", "  timing: {nRP: 21}", "vary:",
        "  mapping: [RoRaBaCoBgCh, RoBaRaCoCh]", "  timing.nRCDRD: [19, 25]");
    Path out = dir.resolve("out");
    MainBadInputTest.Run r = MainBadInputTest.run("sweep", f.toString(), "--jobs", "2", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    List<JsonNode> runs = jsonl(out);
    assertEquals(4, runs.size());
    java.util.Map<String, Double> latency = new java.util.HashMap<>();
    for (JsonNode run : runs) {
      String mapping = run.get("params").get("mapping").asText();
      String rcd = run.get("params").get("timing.nRCDRD").asText();
      JsonNode direct = memory("memory", "--pattern", "mix", "--requests", "4000", "--timing", "nRP=21", "--timing",
          "nRCDRD=" + rcd, "--mapping", mapping, "--json");
      for (String k : List.of("cycles", "bandwidth_GBps", "avg_read_latency_ns", "row_conflicts", "energy_pJ")) {
        assertEquals(direct.get(k), run.get("result").get(k), mapping + " nRCDRD=" + rcd + ": " + k);
      }
      assertFalse(run.get("result").has("wall_s"));
      latency.put(mapping + " " + rcd, run.get("result").get("avg_read_latency_ns").asDouble());
    }
    // A longer tRCD makes the same requests wait longer on either mapping.
    for (String mapping : List.of("RoRaBaCoBgCh", "RoBaRaCoCh")) {
      assertTrue(latency.get(mapping + " 25") > latency.get(mapping + " 19"), mapping + ": " + latency);
    }
    assertTrue(Files.readString(out.resolve("sweep.csv")).startsWith("mapping,timing.nRCDRD,"));
  }

  @Test
  void aMemoryConfigFileIsABaseAndItsTraceStaysRelativeToIt() throws Exception {
    Files.createDirectories(dir.resolve("cfg"));
    Files.writeString(dir.resolve("cfg/reads.trace"), "LD 0x0\nLD 0x40\nLD 0x10000\nST 0x80\n");
    file("cfg/base.yaml", "trace: reads.trace", "trace-format: ramulator");
    Path f = file("mem.yaml", "memory: cfg/base.yaml", "vary:", "  page-policy: [open, closed]");
    Path out = dir.resolve("out");
    MainBadInputTest.Run r = MainBadInputTest.run("sweep", f.toString(), "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    for (JsonNode run : jsonl(out)) {
      assertEquals(4, run.get("result").get("requests").asLong());
      assertEquals(1, run.get("result").get("writes").asLong());
    }
  }

  @Test
  void chartsDrawAMetricPerRunAndAnUnknownOneIsNamedWithTheResultsKept() throws Exception {
    Path f = file("mem.yaml", "memory: {pattern: random, requests: 2000}", "vary:", "  page-policy: [open, closed]",
        "  read-queue: [8, 32]");
    Path out = dir.resolve("out");
    MainBadInputTest.Run r = MainBadInputTest.run("sweep", f.toString(), "--out", out.toString(), "--chart",
        "bandwidth_GBps");
    assertEquals(0, r.status(), r.err());
    byte[] png = Files.readAllBytes(out.resolve("sweep-bandwidth_GBps.png"));
    assertEquals("\u0089PNG", new String(java.util.Arrays.copyOf(png, 4), java.nio.charset.StandardCharsets.ISO_8859_1));
    MainBadInputTest.Run bad = MainBadInputTest.run("sweep", f.toString(), "--resume", "--out", out.toString(),
        "--chart", "bogus");
    assertEquals(2, bad.status(), bad.err());
    assertFalse(bad.err().contains("Exception"), bad.err());
    MainBadInputTest.mentions(bad.err(), "duplexsim: error: --chart bogus", "bandwidth_GBps", "p99_read_latency_ns");
    assertEquals(4, jsonl(out).size());
  }

  @Test
  void badMemorySweepsNameTheFileAndTheKeyOrRun() throws Exception {
    Path unknown = file("a.yaml", "memory: {pattern: random, requests: 100}", "vary:", "  mapingg: [RoBaRaCoCh]");
    MainBadInputTest.mentions(MainBadInputTest.badInput("sweep", unknown.toString(), "--out",
        dir.resolve("o1").toString()), unknown.toString(), "vary.mapingg", "unknown memory key");
    Path output = file("b.yaml", "memory: {pattern: random, requests: 100}", "vary:", "  command-trace: [x.csv]");
    MainBadInputTest.mentions(MainBadInputTest.badInput("sweep", output.toString(), "--out",
        dir.resolve("o2").toString()), "command-trace", "not what to simulate");
    Path badValue = file("c.yaml", "memory: {pattern: random, requests: 100}", "vary:", "  page-policy: [open, shut]");
    MainBadInputTest.mentions(MainBadInputTest.badInput("sweep", badValue.toString(), "--out",
        dir.resolve("o3").toString()), badValue.toString(), "run page-policy=shut", "shut");
    assertFalse(Files.exists(dir.resolve("o3")), "nothing written before every run is checked");
  }
}
