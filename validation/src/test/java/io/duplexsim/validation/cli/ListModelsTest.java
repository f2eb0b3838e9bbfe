package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code duplexsim list models} through {@link Main#run}. */
class ListModelsTest {
  private static String line(String out, String name) {
    return out.lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in\n" + out));
  }

  private static List<String> cells(String line) {
    return List.of(line.trim().split(" {2,}"));
  }

  @Test
  void listsEveryPresetWithItsSizes() {
    MainBadInputTest.Run r = MainBadInputTest.run("list", "models");
    assertEquals(0, r.status(), r.err());
    assertEquals(16, r.out().lines().count(), r.out()); // header + 15 presets
    assertTrue(r.out().lines().findFirst().orElseThrow().startsWith("NAME"), r.out());
    assertEquals(List.of("mixtral-8x7b", "32", "4096", "32/8", "128", "14336", "8/2", "46.7B / 12.9B", "131,072"),
        cells(line(r.out(), "mixtral-8x7b")));
    assertEquals(List.of("llama-3-8b", "32", "4096", "32/8", "128", "14336", "dense", "8.03B", "131,072"),
        cells(line(r.out(), "llama-3-8b")));
    assertEquals(List.of("glam", "32", "4096", "32/32", "128", "16384", "64/2 every 2 blocks", "142.8B / 9.64B",
        "524,288"), cells(line(r.out(), "glam")));
    assertEquals(List.of("deepseek-v3", "61", "7168", "128/mla", "192/128", "18432, expert 2048",
        "256+1 shared/8 after 3 dense", "671.0B / 37.6B", "70,272"), cells(line(r.out(), "deepseek-v3")));
  }

  @Test
  void unknownListNamesTheChoices() {
    String message = MainBadInputTest.badInput("list", "modles");
    assertTrue(message.contains("modles"), message);
  }
}
