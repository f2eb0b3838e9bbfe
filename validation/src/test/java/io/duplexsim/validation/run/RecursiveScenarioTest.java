package io.duplexsim.validation.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.model.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RecursiveScenarioTest {
  private static final Path POLICIES = Path.of("..", "scenarios", "policies");

  private static Scenario read(Path file) {
    Map<String, String> v = Scenario.defaults();
    v.putAll(Scenario.readFile(file));
    return Scenario.of(v);
  }

  @Test
  void oneExitProbabilityCoversEveryLoopButTheLast() {
    assertArrayEquals(new double[] {0.3, 0.3}, RecursiveScenario.probabilities("0.3", 3));
    assertArrayEquals(new double[] {0.1, 0.6}, RecursiveScenario.probabilities("0.1, 0.6", 3));
    InputException e = assertThrows(InputException.class, () -> RecursiveScenario.probabilities("0.1,0.2", 2));
    assertTrue(e.getMessage().startsWith("recursive-exit-probs needs one probability or 1"), e.getMessage());
    assertThrows(InputException.class, () -> RecursiveScenario.probabilities("-0.1", 2));
    assertThrows(InputException.class, () -> RecursiveScenario.probabilities("half", 2));
  }

  @Test
  void theBundledRecursiveAndQuantizationScenariosAreValid() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(POLICIES)) {
      files = s.filter(p -> p.getFileName().toString().matches("(gemma-2b-|llama3-70b-(single|high)).*\\.yaml"))
          .sorted().toList();
    }
    assertEquals(5, files.size(), files.toString());
    for (Path f : files) {
      Scenario s = read(f);
      assertDoesNotThrow(() -> RecursiveScenario.of(s, Models.load(s.model())), f.toString());
      assertDoesNotThrow(() -> ScenarioRunner.system(s), f.toString());
    }
    assertNotNull(RecursiveScenario.of(read(POLICIES.resolve("gemma-2b-recursive-depthwise.yaml")),
        Models.load("gemma-2b")));
  }
}
