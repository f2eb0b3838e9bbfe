package io.duplexsim.workloads.compiler;

import static io.duplexsim.workloads.compiler.Traces.compile;
import static io.duplexsim.workloads.compiler.Traces.flops;
import static io.duplexsim.workloads.compiler.Traces.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Collective;
import io.duplexsim.isa.CollectiveKind;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tensor, expert, data and expert-tensor parallelism, and the splits that do not fit. */
class ParallelismTest {
  @Test
  void tensorParallelismOfFourSplitsEachDevicesFcFlopsByFourAndAllReducesTwicePerBlock() {
    CompiledIteration one = compile("llama-3-8b", Systems.of("gpu", 1, 1), Strategy.GPU, "decode:8x512");
    CompiledIteration four = compile("llama-3-8b", Systems.load("gpu-1x4"), Strategy.GPU, "decode:8x512");
    long fc = flops(of(one, 0, Gemm.class, OpCategory.FC));
    for (int d = 0; d < 4; d++) {
      assertEquals(fc, 4 * flops(of(four, d, Gemm.class, OpCategory.FC)), "device " + d);
      List<Collective> ar = of(four, d, Collective.class, OpCategory.COMMUNICATION);
      assertEquals(2 * 32, ar.size()); // after the output projection and after the FFN of each block
      for (Collective c : ar) {
        assertEquals(CollectiveKind.ALL_REDUCE, c.kind());
        assertEquals(IntSeq.of(0, 1, 2, 3), c.group());
        assertEquals(8L * 4096 * 2, c.payload());
      }
    }
    assertTrue(of(one, 0, Collective.class, null).isEmpty());
  }

  @Test
  void expertParallelismRunsAnExpertOnlyOnTheDeviceThatHoldsIt() {
    ModelSpec m = Models.load("mixtral-8x7b");
    // every token picks experts 5 and 6; with 8 experts on 4 devices, both live on device 2 (experts 4, 5)
    // and device 3 (experts 6, 7)
    List<String> rows = new java.util.ArrayList<>();
    for (int l = 0; l < m.layers(); l++) {
      rows.add(l + ",5,6");
    }
    ExpertRouter router = ReplayRouter.parse(rows, "choices.csv");
    CompiledIteration c = Traces.compile(m, Systems.load("gpu-1x4"), Strategy.GPU, WeightFormat.BF16, "decode:16x256",
        router);
    int ffn = m.moe().expertFfnSize();
    for (int d = 0; d < 4; d++) {
      List<Gemm> down = of(c, d, Gemm.class, OpCategory.MOE, g -> g.k() == ffn);
      assertEquals(d >= 2 ? m.layers() : 0, down.size(), "device " + d);
      down.forEach(g -> assertEquals(16, g.m()));
      // all devices join the dispatch and the combine all-to-all of every MoE block
      assertEquals(2 * m.layers(), of(c, d, Collective.class, null, x -> x.kind() == CollectiveKind.ALL_TO_ALL).size());
    }
  }

  @Test
  void moreDevicesThanExpertsGivesEachExpertATensorParallelGroup() {
    ModelSpec m = Models.load("mixtral-8x7b");
    CompiledIteration c = compile("mixtral-8x7b", Systems.of("gpu", 8, 2), Strategy.GPU, "decode:64x256");
    int half = m.moe().expertFfnSize() / 2;
    for (int d = 0; d < 16; d++) {
      int dev = d;
      of(c, d, Gemm.class, OpCategory.MOE, g -> g.k() == half).forEach(g -> assertEquals(m.dModel(), g.n()));
      IntSeq pair = IntSeq.of(dev / 2 * 2, dev / 2 * 2 + 1);
      assertTrue(of(c, d, Collective.class, null, x -> x.group().equals(pair)).size() > 0, "device " + d);
    }
  }

  @Test
  void dataParallelismDealsRequestsToNodes() {
    CompiledIteration c = compile("llama-3-8b", Systems.of("gpu", 2, 2), Strategy.GPU, "decode:3x100");
    // requests 0 and 2 on node 0, request 1 on node 1
    assertEquals(2, of(c, 0, Gemm.class, OpCategory.FC).get(0).m());
    assertEquals(1, of(c, 2, Gemm.class, OpCategory.FC).get(0).m());
  }

  @Test
  void expertTensorParallelismSplitsEveryExpertOverTheNodeAndReplacesTheAllToAll() {
    ModelSpec m = Models.load("mixtral-8x7b");
    CompiledIteration c = compile("mixtral-8x7b", Systems.load("duplex-1x4"), Strategy.DUPLEX_PE_ET, "decode:32x512");
    int quarter = m.moe().expertFfnSize() / 4;
    for (int d = 0; d < 4; d++) {
      List<Gemm> down = of(c, d, Gemm.class, OpCategory.MOE, g -> g.k() == quarter);
      assertEquals(32L * 2 * m.layers(), down.stream().mapToLong(Gemm::m).sum());
      assertTrue(of(c, d, Collective.class, null, x -> x.kind() == CollectiveKind.ALL_TO_ALL).isEmpty());
    }
  }

  @Test
  void tensorParallelismThatDoesNotDivideTheHeadsNamesBothNumbers() {
    InputException e = assertThrows(InputException.class,
        () -> compile("qwen2.5-7b", Systems.of("gpu", 8, 1), Strategy.GPU, "decode:1x10"));
    assertTrue(e.getMessage().contains("8 devices") && e.getMessage().contains("28 query heads"), e.getMessage());
  }

  @Test
  void fewerKvHeadsThanDevicesAreReplicatedOnePerDevice() {
    // TinyLlama: 32 query heads, 4 KV heads; on 8 devices each keeps 4 query heads and one KV head
    CompiledIteration c = compile("tinyllama-1.1b", Systems.of("gpu", 8, 1), Strategy.GPU, "decode:2x64");
    var att = of(c, 5, io.duplexsim.isa.Attention.class, null).get(0);
    assertEquals(4, att.heads());
    assertEquals(1, att.kvHeads());
  }

  @Test
  void expertsThatDoNotSpreadEvenlyAreRejected() {
    InputException e = assertThrows(InputException.class,
        () -> compile("mixtral-8x7b", Systems.of("gpu", 2, 3), Strategy.GPU, "decode:1x10"));
    assertTrue(e.getMessage().contains("8 experts") && e.getMessage().contains("6 devices"), e.getMessage());
  }
}
