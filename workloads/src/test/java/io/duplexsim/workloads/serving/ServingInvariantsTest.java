package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tight memory and random workloads: the scheduler's promises hold on every iteration of every run. */
class ServingInvariantsTest {
  @ParameterizedTest(name = "{0}, chunked prefill {1}, closed {2}")
  @CsvSource({"RECOMPUTE,true,false", "RECOMPUTE,false,false", "SWAP,true,false", "SWAP,false,false",
      "RECOMPUTE,true,true", "SWAP,true,true"})
  void everyIterationKeepsTheLimitsAndEveryRequestItsTokenHistory(PreemptionMode mode, boolean chunked, boolean closed) {
    for (long seed = 1; seed <= 8; seed++) {
      // without chunking a recompute prefills prompt + output so far whole: the budget must hold 64 + 80 - 1
      int budget = chunked ? 64 : 160;
      ServingOptions o = ServingOptions.DEFAULTS.withMaxNumSeqs(6).withMaxNumBatchedTokens(budget)
          .withEnableChunkedPrefill(chunked).withPreemptionMode(mode);
      ArrivalProcess arrivals = closed ? new ArrivalProcess.Closed(10) : new ArrivalProcess.Poisson(50_000);
      SyntheticRequests twin = new SyntheticRequests(50, new LengthDistribution.Uniform(1, 64),
          new LengthDistribution.Zipf(0.8, 1, 80), arrivals, seed);
      Map<Long, RequestSpec> specs = new HashMap<>();
      for (RequestSpec s; (s = twin.next()) != null; ) {
        specs.put(s.id(), s);
      }
      LinearIterationModel m = LinearIterationModel.standard();
      long capacity = 12; // 192 tokens: a handful of requests at once
      ServingResult r = ServingSimulation.run(o, new SyntheticRequests(50, new LengthDistribution.Uniform(1, 64),
          new LengthDistribution.Zipf(0.8, 1, 80), arrivals, seed), m, new KvCapacity(capacity, 16, 512, 1));

      assertEquals(50, r.requests());
      assertEquals(specs.values().stream().mapToLong(RequestSpec::outputTokens).sum(), r.generatedTokens());
      Map<Long, Integer> computed = new HashMap<>();
      Map<Long, Integer> lastKv = new HashMap<>();
      for (int i = 0; i < m.batches.size(); i++) {
        IterationBatch b = m.batches.get(i);
        assertTrue(b.entries().size() <= 6, "max-num-seqs");
        assertTrue(b.tokens() <= budget, "token budget");
        assertTrue(r.iterationLog().kvBlocks(i) <= capacity, "KV capacity");
        Set<Long> ids = new HashSet<>();
        for (BatchEntry e : b.entries()) {
          assertTrue(ids.add(e.requestId()), "a request appears once per batch");
          int before = e.kvLength() - e.tokens();
          int prev = computed.getOrDefault(e.requestId(), 0);
          if (e.phase() == Phase.DECODE) {
            assertEquals(1, e.tokens());
            assertEquals(prev, before, "a decode extends the KV it has");
          } else {
            assertTrue(before == prev || (before == 0 && mode == PreemptionMode.RECOMPUTE),
                "a prefill chunk continues, or a recompute restarts: " + e + " after " + prev);
            assertTrue(chunked || before == 0 || e.kvLength() - before == e.tokens());
          }
          computed.put(e.requestId(), e.kvLength());
          lastKv.put(e.requestId(), e.kvLength());
        }
      }
      for (RequestSpec s : specs.values()) {
        assertEquals(s.outputTokens() == 1 ? s.inputTokens() : s.peakKvTokens(), lastKv.get(s.id()),
            "request " + s.id() + " ends with its whole context in KV");
      }
      for (RequestRecord q : r.perRequest()) {
        assertTrue(q.ttftNs() > 0 && q.e2eNs() >= q.ttftNs());
      }
    }
  }
}
