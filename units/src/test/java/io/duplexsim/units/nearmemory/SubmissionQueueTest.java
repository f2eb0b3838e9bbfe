package io.duplexsim.units.nearmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The softmax unit's queue leaves pairs exactly as the PriorityQueue it replaced, equal keys included. */
class SubmissionQueueTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void pollsInThePriorityQueuesOrderEvenOnEqualKeys(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    PriorityQueue<double[]> reference = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Double.compare(x[0], y[0])
        : Double.compare(x[1], y[1]));
    ComposedAttention.SubmissionQueue queue = new ComposedAttention.SubmissionQueue(64);
    int pair = 0;
    for (int step = 0; step < 20_000; step++) {
      if (queue.size < 64 && (queue.size == 0 || random.nextInt(3) > 0)) {
        // few distinct times and modules, so that equal (time, module) keys are common
        double t = random.nextInt(6) * 0.5;
        int module = random.nextInt(3);
        reference.add(new double[] {t, module, pair});
        queue.add(t, module, pair);
        pair++;
      } else {
        double[] expected = reference.poll();
        assertEquals(expected[0], queue.time[0], "step " + step);
        assertEquals((int) expected[1], queue.module[0], "step " + step);
        assertEquals((int) expected[2], queue.pair[0], "step " + step);
        queue.poll();
      }
      assertEquals(reference.size(), queue.size);
    }
  }
}
