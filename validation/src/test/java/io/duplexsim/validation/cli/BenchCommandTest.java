package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.validation.cli.MainBadInputTest.Run;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code duplexsim bench} runs every benchmark trace and reports one row each (speed is not asserted). */
class BenchCommandTest {
  @Test
  void smallBenchPrintsOneRowPerTraceCheckSettingAndThreadCount() {
    Run r = MainBadInputTest.run("bench", "--requests", "3000", "--with-check");
    assertEquals(0, r.status(), r.err());
    List<String> rows = Arrays.stream(r.out().split("\n"))
        .filter(l -> l.matches("^\\S+\\s+(on|off)\\s+[12]\\s+3000\\s.*")).toList();
    assertEquals(16, rows.size(), r.out());
    // random requests reach every lane, and their two-thread rows say two; the 8 KiB stride reaches one
    // pseudo-channel, so its two-thread rows (like its one-thread rows) ran on one
    assertEquals(2, rows.stream().filter(l -> l.matches("^random\\s+(on|off)\\s+2\\s.*")).count(), r.out());
    assertEquals(4, rows.stream().filter(l -> l.matches("^stride-8KiB\\s+(on|off)\\s+1\\s.*")).count(), r.out());
    for (String trace : List.of("stream", "random", "mix-2:1", "stride-8KiB")) {
      assertTrue(rows.stream().anyMatch(l -> l.startsWith(trace + " ")), trace + " missing in " + r.out());
    }
  }

  @Test
  void theWorkColumnsDoNotDependOnTheMachine() {
    // cycles and ticks (the simulator's work) repeat exactly from run to run; the times need not
    List<List<String>> work = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Run r = MainBadInputTest.run("bench", "--requests", "2000", "--threads", "1");
      assertEquals(0, r.status(), r.err());
      work.add(Arrays.stream(r.out().split("\n")).filter(l -> l.matches("^\\S+\\s+off\\s+1\\s+2000\\s.*"))
          .map(l -> {
            String[] f = l.trim().split("\\s+");
            assertTrue(Long.parseLong(f[9]) > 0, "ticks in " + l);
            return f[0] + " " + f[4] + " " + f[9];
          }).toList());
    }
    assertEquals(4, work.get(0).size(), work.toString());
    assertEquals(work.get(0), work.get(1));
  }

  @Test
  void theReportedRunIsTheMedianOfTheTimedRuns() {
    Run r = MainBadInputTest.run("bench", "--requests", "2000", "--warmup", "0", "--iterations", "3");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("median of 3 timed runs"), r.out());
    List<String> rows = Arrays.stream(r.out().split("\n")).filter(l -> l.matches("^\\S+\\s+off\\s+[12]\\s+2000\\s.*"))
        .toList();
    assertEquals(8, rows.size(), r.out());
    for (String l : rows) {
      String[] f = l.trim().split("\\s+");
      double median = Double.parseDouble(f[5]);
      String[] range = f[11].split("-");
      double fastest = Double.parseDouble(range[0]);
      double slowest = Double.parseDouble(range[1]);
      assertTrue(fastest <= median && median <= slowest, l);
    }
  }

  @Test
  void noTimedRunIsAnInputError() {
    Run r = MainBadInputTest.run("bench", "--requests", "1000", "--iterations", "0");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("duplexsim: error: --iterations"), r.err());
  }

  @Test
  void aThreadCountBelowOneIsAnInputError() {
    Run r = MainBadInputTest.run("bench", "--requests", "1000", "--threads", "1,0");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("duplexsim: error: --threads"), r.err());
  }

  @Test
  void nonPositiveRequestCountIsAnInputError() {
    Run r = MainBadInputTest.run("bench", "--requests", "0");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("duplexsim: error: --requests"), r.err());
  }
}
