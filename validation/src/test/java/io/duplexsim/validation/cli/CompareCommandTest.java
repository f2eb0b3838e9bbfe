package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duplexsim.validation.report.ExperimentCharts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare and plot end to end on a tiny MoE model at roofline fidelity (a few seconds). */
class CompareCommandTest {
  static final String MINI_MOE = "src/test/resources/io/duplexsim/validation/run/mini-moe.json";

  @TempDir
  static Path shared;
  static Path out;
  static MainBadInputTest.Run compare;

  /** One CSV line's cells, double-quoted cells unquoted (RFC 4180). */
  static List<String> splitCsv(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }

  static String[] args(String... more) {
    List<String> a = new ArrayList<>(List.of("compare", "--model", MINI_MOE, "--devices-per-node", "1",
        "--fidelity", "roofline"));
    a.addAll(Arrays.asList(more));
    return a.toArray(String[]::new);
  }

  @BeforeAll
  static void runCompare() {
    out = shared.resolve("cmp");
    compare = MainBadInputTest.run(args("--systems", "gpu,duplex,duplex-pe-et", "--batch", "2,4", "--lengths",
        "32:8,16:4", "--jobs", "2", "--out", out.toString()));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void compareWritesEveryFileWithOneRowPerGridPoint() throws Exception {
    assertEquals(0, compare.status(), compare.err());
    List<String> expected = new ArrayList<>(ExperimentCharts.files());
    expected.addAll(List.of("report.html", "results.csv", "results.json"));
    assertEquals(expected.stream().sorted().toList(), names(out), "every file, and no temporary left");
    for (String png : ExperimentCharts.files()) {
      byte[] head = Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 4);
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, png);
    }
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(1 + 3 * 2 * 2, csv.size(), "a header and one row per grid point");
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals(12, json.get("runs").size());
    JsonNode first = json.get("runs").get(0);
    assertEquals("roofline", first.get("fidelity").asText());
    assertEquals("2", first.get("config").get("max-num-seqs").asText());
    assertEquals("4", first.get("config").get("requests").asText(), "requests default to twice the batch");
    assertEquals("32", first.get("config").get("input-len").asText());
    assertEquals(4 * 8, first.get("metrics").get("generated_tokens").asInt());
    String html = Files.readString(out.resolve("report.html"));
    for (String png : ExperimentCharts.files()) {
      assertTrue(html.contains("src=\"" + png + "\""), png + " in the report");
    }
    assertTrue(compare.err().contains("compare: [12/12]"), "plain progress lines when not on a terminal: "
        + compare.err());
  }

  @Test
  void csvColumnsAreFlatAndTheReferenceNormalisesToOne() throws Exception {
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    List<String> header = List.of(csv.get(0).split(","));
    assertEquals(List.of("run", "system", "batch", "lengths"), header.subList(0, 4));
    for (String c : List.of("config.model", "config.max-num-seqs", "config.fidelity", "throughput_tokens_per_s",
        "tbt_p50_ms", "tbt_p90_ms", "tbt_p99_ms", "ttft_p50_ms", "e2e_p99_ms", "energy_per_token_mJ",
        "energy_breakdown.moe.dram", "energy_breakdown.attention.compute", "unit_utilization.xpu",
        "unit_utilization.logic-pim", "wall_s", "throughput_normalised")) {
      assertTrue(header.contains(c), c + " in " + header);
    }
    int system = header.indexOf("system");
    int norm = header.indexOf("throughput_normalised");
    int seen = 0;
    for (String line : csv.subList(1, csv.size())) {
      List<String> cells = splitCsv(line); // the run id and some config values are quoted and have commas
      if (cells.get(system).equals("gpu")) {
        assertEquals(1.0, Double.parseDouble(cells.get(norm)));
        seen++;
      } else {
        assertTrue(Double.parseDouble(cells.get(norm)) > 0);
      }
    }
    assertEquals(4, seen);
  }

  @Test
  void plotRedrawsTheSameChartsFromResultsJsonWithoutSimulating() throws Exception {
    Path again = shared.resolve("replot");
    MainBadInputTest.Run r = MainBadInputTest.run("plot", out.resolve("results.json").toString(), "--out",
        again.toString());
    assertEquals(0, r.status(), r.err());
    List<String> expected = new ArrayList<>(ExperimentCharts.files());
    expected.add("report.html");
    assertEquals(expected.stream().sorted().toList(), names(again));
    for (String png : ExperimentCharts.files()) {
      assertArrayEquals(Files.readAllBytes(out.resolve(png)), Files.readAllBytes(again.resolve(png)),
          png + " is redrawn identically from the saved results");
    }
  }

  @Test
  void badFlagsExitTwoNamingTheFlag() {
    Path o = shared.resolve("bad");
    String m = MainBadInputTest.badInput(args("--systems", "gpu,tpu", "--out", o.toString()));
    assertTrue(m.contains("--systems") && m.contains("'tpu'"), m);
    m = MainBadInputTest.badInput(args("--lengths", "256-256", "--out", o.toString()));
    assertTrue(m.contains("--lengths") && m.contains("INPUT:OUTPUT") && m.contains("'256-256'"), m);
    m = MainBadInputTest.badInput(args("--lengths", "256:0", "--out", o.toString()));
    assertTrue(m.contains("--lengths"), m);
    m = MainBadInputTest.badInput(args("--batch", "", "--out", o.toString()));
    assertTrue(m.contains("--batch") && m.contains("no empty entries"), m);
    m = MainBadInputTest.badInput(args("--batch", "8,x", "--out", o.toString()));
    assertTrue(m.contains("--batch") && m.contains("'x'"), m);
    m = MainBadInputTest.badInput(args("--systems", "gpu,,duplex", "--out", o.toString()));
    assertTrue(m.contains("--systems"), m);
    m = MainBadInputTest.badInput(args("--systems", "gpu,gpu", "--out", o.toString()));
    assertTrue(m.contains("--systems") && m.contains("listed twice"), m);
    m = MainBadInputTest.badInput(args("--fidelity", "exact", "--out", o.toString()));
    assertTrue(m.contains("--fidelity"), m);
    m = MainBadInputTest.badInput(args("--jobs", "0", "--out", o.toString()));
    assertTrue(m.contains("--jobs"), m);
    assertTrue(MainBadInputTest.badInput(args()).contains("--out"));
    assertFalse(Files.exists(o), "bad input is found before anything is written");
    m = MainBadInputTest.badInput("plot", shared.resolve("missing.json").toString());
    assertTrue(m.contains("does not exist"), m);
  }

  @Test
  void aRunThatFailsLeavesNoResults() throws Exception {
    Path o = shared.resolve("failing");
    // the second lengths' prompt can never fit in the KV cache: found when that run starts
    MainBadInputTest.Run r = MainBadInputTest.run(args("--systems", "gpu", "--batch", "2", "--lengths",
        "32:4,100000000:1", "--jobs", "1", "--out", o.toString()));
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("can never fit"), r.err());
    assertTrue(r.err().contains("compare: [1/2]"), "the first run finished: " + r.err());
    assertTrue(!Files.exists(o) || names(o).isEmpty(), "nothing written");
  }
}
