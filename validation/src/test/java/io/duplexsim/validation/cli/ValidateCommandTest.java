package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.validation.suite.CheckResult;
import io.duplexsim.validation.suite.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @Test
  void anUnknownSuiteOrFidelityIsBadInput(@TempDir Path dir) {
    MainBadInputTest.Run r = MainBadInputTest.run("validate", "--suite", "nope", "--out", dir.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--suite") && r.err().contains("duplex-micro24"), r.err());
    MainBadInputTest.Run f = MainBadInputTest.run("validate", "--fidelity", "exact", "--out", dir.toString());
    assertEquals(2, f.status());
    assertTrue(f.err().contains("--fidelity"), f.err());
    assertFalse(Files.exists(dir.resolve("validation.csv")));
  }

  @Test
  void theReportHasTheIssuesColumnsOneRowPerCheckAndTheChart(@TempDir Path dir) throws Exception {
    List<CheckResult> checks = List.of(new CheckResult("s", "a", "Fig. 1", 2.0, 2.2, 0.25, "x"),
        new CheckResult("s", "b", "Fig. 2", 0.5, 0.1, 0.25, "y"), CheckResult.claim("s", "c", "Fig. 5", true, "z"));
    ValidationReport.write(dir, "t", checks, "p");
    List<String> csv = Files.readAllLines(dir.resolve("validation.csv"));
    assertEquals("suite,check,published,simulated,rel_error,tolerance,pass", csv.get(0));
    assertEquals(4, csv.size());
    assertTrue(csv.get(2).endsWith(",false"));
    assertTrue(Files.size(dir.resolve("validation.png")) > 1000);
    String html = Files.readString(dir.resolve("report.html"));
    assertTrue(html.contains("2 of 3 checks pass") && html.contains("validation.png"), html);
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")));
    }
  }
}
