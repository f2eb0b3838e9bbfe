package io.duplexsim.workloads.serving.speculative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.serving.IterationCost;
import io.duplexsim.workloads.serving.IterationModel;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmartSpecControllerTest {
  /** time = a + b x tokens + c x keys, in ns. */
  static IterationModel linear(double a, double b, double c) {
    return new IterationModel() {
      @Override
      public IterationCost run(IterationBatch batch) {
        double t = a + b * batch.tokens() + c * batch.entries().stream().mapToLong(BatchEntry::kvLength).sum();
        return new IterationCost(t, Map.of(), Map.of());
      }

      @Override
      public String fidelity() {
        return "test-linear";
      }
    };
  }

  @Test
  void expectedTokensIsTheAcceptedPrefixPlusTheBonus() {
    assertEquals(1, SmartSpecController.expectedTokens(0, 5), 1e-12);
    assertEquals(6, SmartSpecController.expectedTokens(1, 5), 1e-12);
    assertEquals(1.5, SmartSpecController.expectedTokens(0.5, 1), 1e-12);
    assertEquals(1 + 0.8 + 0.64 + 0.512, SmartSpecController.expectedTokens(0.8, 3), 1e-12);
    assertEquals(1, SmartSpecController.expectedTokens(0.7, 0), 1e-12);
  }

  @Test
  void searchStopsAtTheFirstDropEvenIfALargerKWouldBeBetter() {
    double[] g = {1.0, 1.5, 1.4, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0};
    assertEquals(1, SmartSpecController.choose(0.5, 8, k -> g[k]));
    double[] flat = {1.0, 1.2, 1.3, 1.3, 1.6, 1.7, 1.8, 1.9, 2.0};
    assertEquals(8, SmartSpecController.choose(0.5, 8, k -> flat[k]), "ties do not stop the search");
  }

  @Test
  void aKAboveZeroMustBeatZeroByTheBias() {
    assertEquals(0, SmartSpecController.choose(0.5, 8, k -> k == 0 ? 1.0 : k == 1 ? 1.1 : 0.5));
    assertEquals(1, SmartSpecController.choose(0.5, 8, k -> k == 0 ? 1.0 : k == 1 ? 1.1001 : 0.5));
  }

  @Test
  void theEstimateIsAMovingAverageOfTheRateObservedOverEachInterval() {
    SmartSpecController c = new SmartSpecController(new StepPricer(linear(1000, 1, 0), null, 16), 3, 8);
    assertTrue(Double.isNaN(c.acceptance()));
    for (int i = 0; i < SmartSpecController.INTERVAL; i++) {
      c.observe(4, 100, i % 2 == 0 ? 3 : 0, i % 2 == 0 ? 1 : 2); // 30 of 30 + 30 tries accepted
      assertEquals(i < SmartSpecController.INTERVAL - 1, Double.isNaN(c.acceptance()), "updated at the decision");
    }
    assertEquals(0.5, c.acceptance(), 1e-12, "the first interval's rate is the estimate");
    for (int i = 0; i < SmartSpecController.INTERVAL; i++) {
      c.observe(4, 100, 0, 4);
    }
    assertEquals(0.85 * 0.5, c.acceptance(), 1e-12);
    for (int i = 0; i < SmartSpecController.INTERVAL; i++) {
      c.observe(4, 100, 0, 0); // nothing proposed: no change
    }
    assertEquals(0.85 * 0.5, c.acceptance(), 1e-12);
  }

  @Test
  void kIsRedecidedEveryTwentyStepsOnly() {
    SmartSpecController c = new SmartSpecController(new StepPricer(linear(10_000, 1, 0), null, 16), 3, 8);
    for (int i = 1; i < SmartSpecController.INTERVAL; i++) {
      c.observe(1, 100, 0, 1);
      assertEquals(3, c.k(), "step " + i);
    }
    c.observe(1, 100, 0, 1);
    assertEquals(0, c.k(), "nothing is ever accepted: k = 0");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void learnsZeroAtAcceptanceZeroWhateverItStartsWith(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int start = 1 + rng.nextInt(8);
    SmartSpecController c = new SmartSpecController(
        new StepPricer(linear(10_000, 50, 1), linear(1_000, 5, 0.1), 16), start, 8);
    for (int i = 0; i < 40; i++) {
      int batch = 1 + rng.nextInt(64);
      c.observe(batch, 10 + rng.nextInt(1000), 0, batch);
    }
    assertEquals(0, c.k());
  }

  @Test
  void cheapVerificationAndHighAcceptancePickALargeK() {
    // weight-bound target (a dominates), free proposals, every token accepted: goodput grows with k up to k_max
    SmartSpecController c = new SmartSpecController(new StepPricer(linear(100_000, 1, 0), null, 16), 1, 8);
    for (int i = 0; i < SmartSpecController.INTERVAL; i++) {
      c.observe(2, 64, 2, 0);
    }
    assertEquals(8, c.k());
  }

  @Test
  void theStepPricerRemembersShapes() {
    int[] calls = {0};
    IterationModel counting = new IterationModel() {
      @Override
      public IterationCost run(IterationBatch batch) {
        calls[0]++;
        return new IterationCost(batch.tokens(), Map.of(), Map.of());
      }

      @Override
      public String fidelity() {
        return "count";
      }
    };
    StepPricer p = new StepPricer(counting, counting, 16);
    double v = p.verifyNs(8, 100, 3);
    assertEquals(8 * 4, v, 1e-12, "B requests of k+1 positions");
    assertEquals(3 * 8, p.draftNs(8, 100, 3), 1e-12, "k draft iterations of B one-token decodes");
    assertEquals(0, p.draftNs(8, 100, 0));
    int afterFirst = calls[0];
    p.verifyNs(8, 110, 3); // same bucket of 16 tokens (112)
    p.draftNs(8, 105, 5);
    assertEquals(afterFirst, calls[0]);
    assertEquals(2, p.shapes());
  }
}
