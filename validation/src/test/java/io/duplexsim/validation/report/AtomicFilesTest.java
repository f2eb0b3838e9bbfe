package io.duplexsim.validation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aWriteThatFailsHalfwayLeavesNoFileAndNoTemporary(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("results.csv");
    assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, w -> {
      w.write("run,system\n".repeat(10_000));
      throw new IllegalStateException("run failed");
    }));
    assertFalse(Files.exists(file));
    assertEquals(List.of(), names(dir));
  }

  @Test
  void aWriteThatFailsKeepsThePreviousFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("results.json");
    AtomicFiles.writeString(file, "complete\n");
    assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(file, w -> {
      w.write("half");
      throw new IOException("disk full");
    }));
    assertEquals("complete\n", Files.readString(file));
    assertEquals(List.of("results.json"), names(dir));
  }
}
