package io.duplexsim.validation.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ExperimentResultsTest {
  /** Results with made-up metrics from a seeded generator: systems x batch, as compare lays them out. */
  static ExperimentResults synthetic(long seed) {
    Random rnd = new Random(seed);
    RunGrid grid = RunGrid.of(Map.of(), List.of(Axis.of("system", List.of("gpu", "duplex", "bank-pim")),
        Axis.of("max-num-seqs", List.of("16", "64"))));
    List<RunResult> runs = new ArrayList<>();
    for (ExperimentRun r : grid.runs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("system", r.axes().get("system"));
      m.put("fidelity", "roofline");
      m.put("requests", 32L);
      m.put("throughput_tokens_per_s", 100 + 1000 * rnd.nextDouble());
      m.put("tbt_p50_ms", rnd.nextDouble());
      m.put("energy_breakdown", Map.of("fc.dram", rnd.nextDouble(), "moe.compute", rnd.nextDouble()));
      Map<String, Double> units = new LinkedHashMap<>();
      units.put("xpu", rnd.nextDouble());
      if (r.axes().get("system").equals("duplex")) {
        units.put("logic-pim", rnd.nextDouble());
      }
      m.put("unit_utilization", units);
      runs.add(new RunResult(r, m));
    }
    return new ExperimentResults("synthetic", "duplexsim test", grid.levels(), runs);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void jsonReadsBackToTheSameResults(long seed, @TempDir Path dir) {
    ExperimentResults r = synthetic(seed);
    Path file = dir.resolve("results.json");
    r.writeJson(file);
    ExperimentResults back = ExperimentResults.read(file);
    assertEquals(r.toJson(), back.toJson());
    assertEquals(r.axes(), back.axes());
    for (int i = 0; i < r.runs().size(); i++) {
      assertEquals(r.runs().get(i).run(), back.runs().get(i).run());
      assertEquals(r.runs().get(i).number("throughput_tokens_per_s"),
          back.runs().get(i).number("throughput_tokens_per_s"), 0.0, "doubles read back exactly");
      assertEquals(r.runs().get(i).group("unit_utilization"), back.runs().get(i).group("unit_utilization"));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void theReferenceSystemNormalisesToOneAndOthersToTheirRatio(long seed) {
    ExperimentResults r = synthetic(seed);
    assertEquals("system", r.seriesAxis());
    assertEquals("gpu", r.reference());
    assertEquals(List.of("16", "64"), r.points());
    for (RunResult run : r.runs()) {
      RunResult gpu = r.find(r.pointOf(run), "gpu");
      assertEquals(run.number("throughput_tokens_per_s") / gpu.number("throughput_tokens_per_s"),
          r.normalised(run, "throughput_tokens_per_s"), 1e-12);
      if (r.seriesOf(run).equals("gpu")) {
        assertEquals(1.0, r.normalised(run, "throughput_tokens_per_s"));
      }
    }
  }

  @Test
  void csvHasOneRowPerRunWithFlatColumns(@TempDir Path dir) throws Exception {
    ExperimentResults r = synthetic(7);
    Path file = dir.resolve("results.csv");
    r.writeCsv(file);
    List<String> lines = Files.readAllLines(file);
    assertEquals(1 + r.runs().size(), lines.size());
    List<String> cols = r.csvColumns();
    assertEquals(List.of("run", "system", "max-num-seqs"), cols.subList(0, 3));
    for (String c : List.of("config.model", "config.max-num-seqs", "throughput_tokens_per_s",
        "energy_breakdown.fc.dram", "unit_utilization.xpu", "unit_utilization.logic-pim", "throughput_normalised")) {
      assertTrue(cols.contains(c), c + " in " + cols);
    }
    assertEquals(1, cols.stream().filter("system"::equals).count(), "the metric named like the axis is given once");
    // the run id has commas, so it is quoted; a run without logic-pim has an empty cell there
    String gpuRow = lines.get(1);
    assertTrue(gpuRow.startsWith("\"system=gpu,max-num-seqs=16\",gpu,16,"), gpuRow);
    assertTrue(gpuRow.endsWith(",1.0"), "normalised throughput of the reference: " + gpuRow);
  }

  @Test
  void somethingElseThanResultsJsonIsAnInputError(@TempDir Path dir) throws Exception {
    assertTrue(assertThrows(InputException.class, () -> ExperimentResults.read(dir.resolve("none.json")))
        .getMessage().contains("does not exist"));
    Path other = Files.writeString(dir.resolve("other.json"), "{\"system\": \"gpu\"}");
    assertTrue(assertThrows(InputException.class, () -> ExperimentResults.read(other)).getMessage()
        .contains("not a results.json"));
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"format\": ");
    assertTrue(assertThrows(InputException.class, () -> ExperimentResults.read(broken)).getMessage()
        .contains("not a results.json"));
  }
}
