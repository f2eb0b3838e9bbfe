package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps of a two-layer MoE model on one device at roofline fidelity: a few runs of well under a second. */
class SweepCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path sweep(String... vary) throws Exception {
    Path model = Path.of(SweepCommandTest.class.getResource("/io/duplexsim/validation/run/mini-moe.json").toURI());
    List<String> lines = new ArrayList<>(List.of("base:", "  system: duplex", "  model: " + model,
        "  devices-per-node: 1", "  requests: 6", "  max-num-seqs: 4", "  input-len: 32", "  output-len: 24",
        "  fidelity: roofline", "vary:"));
    for (String v : vary) {
      lines.add("  " + v);
    }
    return Files.writeString(dir.resolve("sweep.yaml"), String.join("\n", lines) + "\n");
  }

  private static List<JsonNode> jsonl(Path out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(out.resolve("sweep.jsonl"))) {
      lines.add(JSON.readTree(l));
    }
    return lines;
  }

  /** The run's results by its fields, wall time left out. */
  private static Map<String, JsonNode> byParams(List<JsonNode> lines) {
    Map<String, JsonNode> m = new HashMap<>();
    for (JsonNode n : lines) {
      assertTrue(m.put(n.get("params").toString(), n.get("result")) == null, "one line per run");
    }
    return m;
  }

  @Test
  void aFasterOrWiderMemoryShortensADecodeBoundRun() throws Exception {
    Path f = sweep("device.standard: [HBM3-5.2, HBM3-6.4]", "device.stacks: [5, 8]");
    Path out = dir.resolve("out");
    MainBadInputTest.Run r = MainBadInputTest.run("sweep", f.toString(), "--jobs", "2", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("4 runs (0 already done, 4 run now)"), r.out());
    Map<String, Double> time = new HashMap<>();
    for (JsonNode n : jsonl(out)) {
      JsonNode p = n.get("params");
      time.put(p.get("device.standard").asText() + "/" + p.get("device.stacks").asText(),
          n.get("result").get("sim_time_s").asDouble());
      assertEquals(6, n.get("result").get("requests").asInt());
      assertTrue(n.get("result").get("device").asText().startsWith("duplex["), n.toString());
    }
    assertTrue(time.get("HBM3-6.4/5") < time.get("HBM3-5.2/5"), time.toString());
    assertTrue(time.get("HBM3-6.4/8") < time.get("HBM3-5.2/8"), time.toString());
    assertTrue(time.get("HBM3-5.2/8") < time.get("HBM3-5.2/5"), time.toString());
    assertTrue(time.get("HBM3-6.4/8") < time.get("HBM3-6.4/5"), time.toString());
    List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
    assertEquals(5, csv.size());
    assertTrue(csv.get(0).startsWith("device.standard,device.stacks,system,model,device,devices,fidelity"), csv.get(0));
    assertTrue(csv.get(1).startsWith("HBM3-5.2,5,") && csv.get(4).startsWith("HBM3-6.4,8,"), String.join("\n", csv));
    assertTrue(csv.get(0).contains("energy_breakdown.") && csv.get(0).contains("sim_time_s"), csv.get(0));
  }

  @Test
  void oneJobOrTwoGiveTheSameResults() throws Exception {
    Path f = sweep("max-num-seqs: [1, 2, 4]", "device.pim.macs: [16, 512]");
    Path one = dir.resolve("one");
    Path two = dir.resolve("two");
    assertEquals(0, MainBadInputTest.run("sweep", f.toString(), "--jobs", "1", "--out", one.toString()).status());
    assertEquals(0, MainBadInputTest.run("sweep", f.toString(), "--jobs", "2", "--out", two.toString()).status());
    assertEquals(6, jsonl(one).size());
    assertEquals(byParams(jsonl(one)), byParams(jsonl(two)));
    assertEquals(Files.readString(one.resolve("sweep.csv")), Files.readString(two.resolve("sweep.csv")));
    Set<Double> times = new TreeSet<>();
    jsonl(one).forEach(n -> times.add(n.get("result").get("sim_time_s").asDouble()));
    assertTrue(times.size() > 3, "the fields change the runs: " + times);
  }

  @Test
  void resumeRunsOnlyWhatIsMissingAndDropsACutLine() throws Exception {
    Path f = sweep("max-num-seqs: [1, 2]", "device.pim.macs: [16, 512]");
    Path full = dir.resolve("full");
    assertEquals(0, MainBadInputTest.run("sweep", f.toString(), "--jobs", "1", "--out", full.toString()).status());
    // A sweep killed after two runs, while writing the third line.
    Path killed = dir.resolve("killed");
    Files.createDirectories(killed);
    List<String> lines = Files.readAllLines(full.resolve("sweep.jsonl"));
    Files.writeString(killed.resolve("sweep.jsonl"), lines.get(0) + "\n" + lines.get(1) + "\n"
        + lines.get(2).substring(0, lines.get(2).length() / 2));
    MainBadInputTest.Run r = MainBadInputTest.run("sweep", f.toString(), "--resume", "--out", killed.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("4 runs (2 already done, 2 run now)"), r.out());
    assertTrue(r.err().contains("dropped 1 incomplete line"), r.err());
    List<JsonNode> resumed = jsonl(killed);
    assertEquals(4, resumed.size(), "every line whole");
    assertEquals(lines.get(0), JSON.writeValueAsString(resumed.get(0)), "finished runs are kept as they were");
    assertEquals(byParams(jsonl(full)), byParams(resumed));
    assertEquals(Files.readString(full.resolve("sweep.csv")), Files.readString(killed.resolve("sweep.csv")));
    MainBadInputTest.Run again = MainBadInputTest.run("sweep", f.toString(), "--resume", "--out", killed.toString());
    assertTrue(again.out().contains("4 runs (4 already done, 0 run now)"), again.out());
    assertEquals(4, jsonl(killed).size());
  }

  @Test
  void badInputExitsTwoNamingTheFileAndKey() throws Exception {
    Path f = sweep("max-num-seqs: [1, 2]", "device.pim.frobs: [1]");
    String msg = MainBadInputTest.badInput("sweep", f.toString(), "--out", dir.resolve("o").toString());
    assertTrue(msg.contains(f.toString()) && msg.contains("pim.frobs"), msg);
    Path g = sweep("max-num-batched-tokenz: [1, 2]");
    msg = MainBadInputTest.badInput("sweep", g.toString(), "--out", dir.resolve("o").toString());
    assertTrue(msg.contains(g.toString()) && msg.contains("max-num-batched-tokenz"), msg);
    Path h = Files.writeString(dir.resolve("bad.yaml"), "vary: {max-num-seqs: [1, 2\n");
    msg = MainBadInputTest.badInput("sweep", h.toString());
    assertTrue(msg.contains(h.toString()), msg);
    assertFalse(Files.exists(dir.resolve("o")), "nothing written for a bad sweep");
    Path ok = sweep("max-num-seqs: [1]");
    Path out = dir.resolve("done");
    assertEquals(0, MainBadInputTest.run("sweep", ok.toString(), "--out", out.toString()).status());
    msg = MainBadInputTest.badInput("sweep", ok.toString(), "--out", out.toString());
    assertTrue(msg.contains("--resume"), "a finished sweep is not overwritten: " + msg);
    msg = MainBadInputTest.badInput("sweep", ok.toString(), "--jobs", "0");
    assertTrue(msg.contains("--jobs"), msg);
  }
}
