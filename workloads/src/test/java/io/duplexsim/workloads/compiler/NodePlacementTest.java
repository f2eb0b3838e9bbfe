package io.duplexsim.workloads.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.model.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entries placed on a data-parallel node are computed by that node's devices, where their KV lives. */
class NodePlacementTest {
  private static CompiledIteration compile(List<BatchEntry> entries) {
    return new LayerCompiler(new UniformRouter(1), Traces.ORACLE).compile(Models.load("llama-3-70b"),
        Systems.load("gpu-2x8"), Strategy.GPU, WeightFormat.BF16, new IterationBatch(entries));
  }

  @Test
  void entriesRunOnTheNodeTheyNameAndUnplacedOnesAreDealtInTurn() {
    List<BatchEntry> onNodeOne = List.of(new BatchEntry(0, Phase.DECODE, 1, 100).onNode(1),
        new BatchEntry(1, Phase.DECODE, 1, 200).onNode(1), new BatchEntry(2, Phase.DECODE, 1, 300).onNode(1));
    CompiledIteration c = compile(onNodeOne);
    assertEquals(0, Traces.of(c, 0, Attention.class, null).size(), "node 0 holds none of their KV");
    List<Attention> node1 = Traces.of(c, 8, Attention.class, null);
    assertEquals(3, node1.get(0).requests());
    // without nodes: dealt in batch order, two to node 0 and one to node 1
    CompiledIteration dealt = compile(onNodeOne.stream()
        .map(e -> new BatchEntry(e.requestId(), e.phase(), e.tokens(), e.kvLength())).toList());
    assertEquals(2, Traces.of(dealt, 0, Attention.class, null).get(0).requests());
    assertEquals(1, Traces.of(dealt, 8, Attention.class, null).get(0).requests());
  }

  @Test
  void aBatchMixingPlacedAndUnplacedEntriesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> compile(List.of(
        new BatchEntry(0, Phase.DECODE, 1, 100).onNode(0), new BatchEntry(1, Phase.DECODE, 1, 100))));
    assertThrows(IllegalArgumentException.class, () -> compile(List.of(
        new BatchEntry(0, Phase.DECODE, 1, 100).onNode(2))));
  }
}
