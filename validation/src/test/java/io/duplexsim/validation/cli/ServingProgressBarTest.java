package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import org.junit.jupiter.api.Test;

/** The serving run's terminal progress: requests finished of the total and the simulated clock. */
class ServingProgressBarTest {
  private static List<String> drawn(int total, int finished, double clockNs) {
    List<String> lines = new ArrayList<>();
    try (ServingProgressBar bar = new ServingProgressBar(total, null,
        new DelegatingProgressBarConsumer(l -> {
          synchronized (lines) {
            lines.add(l);
          }
        }, 200))) {
      bar.iterated(finished, clockNs);
    }
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Test
  void showsFinishedRequestsOfTheTotalAndTheSimulatedClock() {
    List<String> lines = drawn(10, 3, 1.5e9);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.contains("3/10 req"), last);
    assertTrue(last.contains("sim 1.500 s"), last);
    assertTrue(last.startsWith("serving"), last);
  }

  @Test
  void theLastDrawingShowsTheLastIterationsClock() {
    List<String> lines = new ArrayList<>();
    try (ServingProgressBar bar = new ServingProgressBar(2, null, new DelegatingProgressBarConsumer(l -> {
      synchronized (lines) {
        lines.add(l);
      }
    }, 200))) {
      bar.iterated(1, 1e9);
      bar.iterated(2, 2e9); // well within the message timer's interval
    }
    synchronized (lines) {
      String last = lines.get(lines.size() - 1);
      assertTrue(last.contains("2/2 req") && last.contains("sim 2.000 s"), last);
    }
  }

  @Test
  void withoutAMemoModelNoOpShapesAreMentioned() {
    ServingProgressBar bar = new ServingProgressBar(4, null, new DelegatingProgressBarConsumer(l -> { }, 200));
    try (bar) {
      assertEquals("sim 0.250 s", bar.message(2.5e8));
      assertFalse(bar.message(2.5e8).contains("shapes"));
    }
  }
}
