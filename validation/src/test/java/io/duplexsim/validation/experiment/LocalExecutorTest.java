package io.duplexsim.validation.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalExecutorTest {
  static final String MINI_MOE = "src/test/resources/io/duplexsim/validation/run/mini-moe.json";

  static List<ExperimentRun> miniGrid() {
    return RunGrid.of(Map.of("model", MINI_MOE, "devices-per-node", "1", "fidelity", "roofline", "input-len", "32",
        "output-len", "8", "requests", "8"), List.of(Axis.of("system", List.of("gpu", "duplex", "bank-pim")),
            Axis.of("max-num-seqs", List.of("2", "4")))).runs();
  }

  private static Map<String, Object> withoutWallTime(RunResult r) {
    Map<String, Object> m = new LinkedHashMap<>(r.metrics());
    m.remove("wall_s");
    m.remove("cpu_s");
    return m;
  }

  @Test
  void parallelRunsGiveTheSequentialResultsInGridOrder() {
    List<ExperimentRun> runs = miniGrid();
    List<RunResult> one = new LocalExecutor(1).execute(runs, RunListener.NONE);
    List<RunResult> two = new LocalExecutor(2).execute(runs, RunListener.NONE);
    assertEquals(runs.size(), two.size());
    for (int i = 0; i < runs.size(); i++) {
      assertSame(runs.get(i), two.get(i).run(), "results come back in grid order");
      assertEquals(withoutWallTime(one.get(i)), withoutWallTime(two.get(i)), runs.get(i).id());
    }
    assertTrue(one.get(0).number("throughput_tokens_per_s") > 0);
    assertEquals(64, one.get(0).number("generated_tokens"));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void theFirstFailureStopsNewRunsAndIsRethrownAfterTheRunsInFlight(int threads) {
    List<ExperimentRun> runs = miniGrid();
    IllegalStateException boom = new IllegalStateException("boom");
    List<String> finished = Collections.synchronizedList(new ArrayList<>());
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch thrown = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch firstStarted = new java.util.concurrent.CountDownLatch(1);
    Simulator failsOnSecond = run -> {
      if (run == runs.get(0)) {
        firstStarted.countDown();
      }
      if (run == runs.get(1)) {
        try {
          // on two threads the first run must have started (a busy machine may schedule the second first)
          firstStarted.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
        thrown.countDown();
        throw boom;
      }
      if (runs.indexOf(run) > 1) {
        // A later run started before the failure (on another thread) ends after the executor has recorded
        // it (it tells the listener after), so that its thread finds the failure before taking another run.
        try {
          thrown.await(10, java.util.concurrent.TimeUnit.SECONDS);
          for (int waited = 0; failed.isEmpty() && waited < 10_000; waited++) {
            Thread.sleep(1);
          }
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }
      return new RunResult(run, Map.of("throughput_tokens_per_s", 1.0));
    };
    RunListener listener = new RunListener() {
      @Override
      public void finished(RunResult result) {
        finished.add(result.run().id());
      }

      @Override
      public void failed(ExperimentRun run, RuntimeException error) {
        failed.add(run.id());
      }
    };
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> new LocalExecutor(threads, failsOnSecond).execute(runs, listener));
    assertSame(boom, e);
    assertEquals(List.of(runs.get(1).id()), failed);
    assertTrue(finished.contains(runs.get(0).id()), "the run before the failure was reported");
    // At most the runs already started on other threads finish; the rest never start.
    assertTrue(finished.size() <= threads, finished.toString());
  }
}
