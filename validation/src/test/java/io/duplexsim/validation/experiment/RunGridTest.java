package io.duplexsim.validation.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunGridTest {
  private static final Axis SYSTEMS = Axis.of("system", List.of("gpu", "duplex", "bank-pim"));
  private static final Axis BATCH = new Axis("batch", List.of(
      new Axis.Level("8", Map.of("max-num-seqs", "8", "requests", "16")),
      new Axis.Level("32", Map.of("max-num-seqs", "32", "requests", "64"))));

  @Test
  void everyCombinationOnceFirstAxisSlowestLevelsOverrideTheBase() {
    RunGrid grid = RunGrid.of(Map.of("fidelity", "roofline", "requests", "999"), List.of(SYSTEMS, BATCH));
    List<ExperimentRun> runs = grid.runs();
    assertEquals(6, runs.size());
    assertEquals(6, new HashSet<>(runs.stream().map(ExperimentRun::id).toList()).size(), "ids are unique");
    assertEquals(List.of("gpu", "gpu", "duplex", "duplex", "bank-pim", "bank-pim"),
        runs.stream().map(r -> r.axes().get("system")).toList());
    assertEquals("system=duplex,batch=32", runs.get(3).id());
    ExperimentRun r = runs.get(3);
    assertEquals("duplex", r.config().get("system"));
    assertEquals("32", r.config().get("max-num-seqs"));
    assertEquals("64", r.config().get("requests"), "the level overrides the base");
    assertEquals("roofline", r.config().get("fidelity"), "the base overrides the defaults");
    assertEquals("1", r.config().get("nodes"), "unset keys keep the scenario defaults");
    assertEquals(32, r.scenario().maxNumSeqs());
    assertEquals(Map.of("system", List.of("gpu", "duplex", "bank-pim"), "batch", List.of("8", "32")), grid.levels());
  }

  @Test
  void unknownKeysDuplicateLevelsAndEmptyAxesAreInputErrors() {
    InputException key = assertThrows(InputException.class,
        () -> RunGrid.of(Map.of(), List.of(Axis.of("batch-size", List.of("8")))));
    assertTrue(key.getMessage().contains("'batch-size' is not a scenario key"), key.getMessage());
    InputException twice = assertThrows(InputException.class, () -> Axis.of("system", List.of("gpu", "gpu")));
    assertTrue(twice.getMessage().contains("'gpu' is listed twice"), twice.getMessage());
    assertThrows(InputException.class, () -> Axis.of("system", List.of()));
    assertThrows(InputException.class, () -> RunGrid.of(Map.of(), List.of(SYSTEMS, SYSTEMS)));
  }
}
