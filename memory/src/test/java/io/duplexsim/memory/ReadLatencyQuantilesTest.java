package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The read latency's quantiles (a CDF's points) agree with the run's own percentiles. */
class ReadLatencyQuantilesTest {
  @Test
  void quantilesRiseFromTheFastestReadToTheSlowestThroughTheMedianAndP99() {
    MemoryResult r = MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").build(),
        TestTraces.random(20000, 9, 0.67, 1L << 30));
    List<Double> q = r.readLatencyQuantilesNs();
    assertEquals(MemoryResult.QUANTILE_STEPS + 1, q.size());
    for (int i = 1; i < q.size(); i++) {
      assertTrue(q.get(i) >= q.get(i - 1), "quantile " + i + " below quantile " + (i - 1));
    }
    assertEquals(r.p50ReadLatencyNs(), q.get(MemoryResult.QUANTILE_STEPS / 2), 1e-9);
    assertEquals(r.p99ReadLatencyNs(), q.get(MemoryResult.QUANTILE_STEPS * 99 / 100), 1e-9);
    assertEquals(r.maxReadLatencyNs(), q.get(MemoryResult.QUANTILE_STEPS), 1e-9);
    assertTrue(q.get(0) > 0 && q.get(0) < r.p50ReadLatencyNs());
  }
}
