package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** With data parallelism over nodes, each request's KV lives on one node, and each node has its own blocks. */
class DataParallelNodesTest {
  private static KvCapacity nodes(long blocksPerNode, int nodes) {
    return new KvCapacity(blocksPerNode * nodes, 16, 4096, 4 * nodes, nodes);
  }

  @Test
  void aRequestStaysOnOneNodeAndNodesShareTheLoad() {
    SyntheticRequests src = new SyntheticRequests(60, new LengthDistribution.Uniform(20, 300),
        new LengthDistribution.Uniform(1, 60), new ArrivalProcess.Closed(12), 7);
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult r = ServingSimulation.run(ServingOptions.DEFAULTS, src, m, nodes(10_000, 3));
    assertEquals(60, r.requests());
    Map<Long, Integer> home = new HashMap<>();
    for (IterationBatch b : m.batches) {
      int[] perNode = new int[3];
      for (BatchEntry e : b.entries()) {
        assertTrue(e.node() >= 0 && e.node() < 3, e.toString());
        Integer before = home.putIfAbsent(e.requestId(), e.node());
        assertTrue(before == null || before == e.node(), "request " + e.requestId() + " moved nodes");
        perNode[e.node()]++;
      }
      if (b.entries().size() == 12) {
        for (int n : perNode) {
          assertTrue(n >= 2, "a full batch of 12 on 3 nodes leaves no node nearly idle: " + java.util.Arrays.toString(perNode));
        }
      }
    }
    assertEquals(60, home.size());
  }

  @Test
  void aFullNodePreemptsItsOwnRequestsOnly() {
    // Two nodes of 8 blocks (128 tokens). Four 60-token prompts (4 blocks each) alternate nodes; the two on
    // node 0 generate 60 tokens (8 blocks each at the end) and must preempt each other, while node 1's,
    // which generate one token, never lose their blocks.
    ListSource src = new ListSource(4, RequestSpec.of(0, 0, 60, 60), RequestSpec.of(1, 0, 60, 1),
        RequestSpec.of(2, 0, 60, 60), RequestSpec.of(3, 0, 60, 1));
    LinearIterationModel m = LinearIterationModel.standard();
    ServingResult r = ServingSimulation.run(ServingOptions.DEFAULTS, src, m, nodes(8, 2));
    assertEquals(4, r.requests());
    assertTrue(r.preemptions() > 0, "node 0's two long requests need 16 blocks together, it has 8");
    for (RequestRecord q : r.perRequest()) {
      if (q.id() % 2 == 1) {
        assertEquals(0, q.preemptions(), "request " + q.id() + " is on node 1, which never fills");
      }
    }
    // one node with the same 16 blocks in all fits every request without preemption
    ListSource again = new ListSource(4, RequestSpec.of(0, 0, 60, 60), RequestSpec.of(1, 0, 60, 1),
        RequestSpec.of(2, 0, 60, 60), RequestSpec.of(3, 0, 60, 1));
    ServingResult pooled = ServingSimulation.run(ServingOptions.DEFAULTS, again, LinearIterationModel.standard(),
        new KvCapacity(16, 16, 4096, 8));
    assertEquals(0, pooled.preemptions());
  }

  @Test
  void aRequestLargerThanOneNodeIsRejectedNamingTheNodes() {
    ListSource src = new ListSource(1, RequestSpec.of(0, 0, 200, 10));
    InputException e = assertThrows(InputException.class, () -> ServingSimulation.run(ServingOptions.DEFAULTS, src,
        LinearIterationModel.standard(), nodes(8, 2)));
    assertTrue(e.getMessage().contains("8 blocks per node"), e.getMessage());
  }
}
