package io.duplexsim.validation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.validation.run.ScenarioRunner;
import java.awt.Color;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemColoursTest {
  @Test
  void everyPaperSystemHasItsOwnColourWhateverTheOrderOrCompany() {
    Map<String, Color> all = SystemColours.assign(ScenarioRunner.SYSTEMS);
    assertEquals(ScenarioRunner.SYSTEMS.size(), new HashSet<>(all.values()).size());
    Map<String, Color> some = SystemColours.assign(List.of("duplex-pe-et", "sweep-a", "gpu", "sweep-b"));
    assertEquals(all.get("gpu"), some.get("gpu"));
    assertEquals(all.get("duplex-pe-et"), some.get("duplex-pe-et"));
    assertEquals(4, new HashSet<>(some.values()).size(), "other series take colours no paper system uses");
    for (Color c : List.of(some.get("sweep-a"), some.get("sweep-b"))) {
      assertEquals(false, all.containsValue(c));
    }
  }
}
