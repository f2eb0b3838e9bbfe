package io.duplexsim.workloads.compiler;

import static io.duplexsim.workloads.compiler.Traces.flops;
import static io.duplexsim.workloads.compiler.Traces.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.KvAppend;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokens whose computation stops after N layers (Cache-Craft's early termination) cost N layers' work. */
class EarlyTerminationCompileTest {
  private static final SystemPreset ONE_GPU = Systems.of("gpu", 1, 1);

  private static CompiledIteration compile(ModelSpec m, SystemPreset system, BatchEntry... entries) {
    return new LayerCompiler(new UniformRouter(7), Traces.ORACLE).compile(m, system, Strategy.GPU, WeightFormat.BF16,
        new IterationBatch(List.of(entries)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 12, 31})
  void stoppedTokensAddTheirGemmAndAttentionWorkInTheirLayersOnly(int layers) {
    ModelSpec m = Models.load("llama-3-8b");
    BatchEntry question = new BatchEntry(1, Phase.PREFILL, 50, 1100);
    BatchEntry fix = new BatchEntry(0, Phase.PREFILL, 96, 1000, layers);
    CompiledIteration both = compile(m, ONE_GPU, fix, question);
    CompiledIteration alone = compile(m, ONE_GPU, question);
    CompiledIteration fixFull = compile(m, ONE_GPU, new BatchEntry(0, Phase.PREFILL, 96, 1000));
    long head = flops(of(fixFull, 0, Gemm.class, OpCategory.FC, g -> g.m() == 1));
    long fixBody = flops(of(fixFull, 0, Gemm.class, null)) - head;
    assertEquals(0, fixBody % m.layers());
    // dense GEMMs are linear in their rows, so the stopped tokens add exactly layers/L of their full body
    assertEquals(flops(of(alone, 0, Gemm.class, null)) + fixBody / m.layers() * layers,
        flops(of(both, 0, Gemm.class, null)));
    long fixAttention = flops(of(fixFull, 0, Attention.class, null));
    assertEquals(flops(of(alone, 0, Attention.class, null)) + fixAttention / m.layers() * layers,
        flops(of(both, 0, Attention.class, null)));
    // their keys and values are rewritten only where they are recomputed
    long appended = of(both, 0, KvAppend.class, null).stream().mapToLong(KvAppend::tokens).sum();
    assertEquals(50L * m.layers() + 96L * layers, appended);
    // and they never reach the LM head: one logits row, the question's
    assertEquals(1, of(both, 0, Gemm.class, OpCategory.FC, g -> g.n() == m.vocab()).stream().mapToInt(Gemm::m).sum());
  }

  @Test
  void anEntryGoingThroughEveryLayerCompilesAsOneWithoutALimit() {
    ModelSpec m = Models.load("mixtral-8x7b");
    SystemPreset four = Systems.of("gpu", 4, 1);
    CompiledIteration limited = compile(m, four, new BatchEntry(0, Phase.PREFILL, 64, 300, m.layers()),
        new BatchEntry(1, Phase.DECODE, 1, 90));
    CompiledIteration plain = compile(m, four, new BatchEntry(0, Phase.PREFILL, 64, 300),
        new BatchEntry(1, Phase.DECODE, 1, 90));
    for (int d = 0; d < 4; d++) {
      assertEquals(plain.devices().get(d).instructions(), limited.devices().get(d).instructions());
    }
  }

  @Test
  void aBatchOfOnlyStoppedTokensSkipsTheLaterLayers() {
    ModelSpec m = Models.load("mixtral-8x7b");
    CompiledIteration c = compile(m, ONE_GPU, new BatchEntry(0, Phase.PREFILL, 64, 300, 4));
    assertEquals(4, of(c, 0, Attention.class, null).size());
    assertTrue(of(c, 0, Gemm.class, OpCategory.FC, g -> g.n() == m.vocab()).isEmpty(), "no logits");
  }
}
