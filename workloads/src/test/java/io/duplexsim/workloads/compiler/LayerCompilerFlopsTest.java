package io.duplexsim.workloads.compiler;

import static io.duplexsim.workloads.compiler.Traces.compile;
import static io.duplexsim.workloads.compiler.Traces.flops;
import static io.duplexsim.workloads.compiler.Traces.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.model.BiasKind;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import io.duplexsim.workloads.model.ParamGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What one iteration's compiled work adds up to, on one GPU (no parallelism). */
class LayerCompilerFlopsTest {
  private static final SystemPreset ONE_GPU = Systems.of("gpu", 1, 1);

  /**
   * A decode token's GEMMs touch every active weight once: 2 x (active parameters - the embedding,
   * which is a gather, the norms and the biases, which add without a multiply). Exact; everything else
   * (attention, norms, activations, adds) is stated separately and must stay under 1%.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mixtral-8x7b", "llama-3-8b", "glam", "qwen2.5-7b"})
  void oneDecodeTokenCostsTwiceTheActiveParametersPlusAttention(String name) {
    ModelSpec m = Models.load(name);
    CompiledIteration c = compile(name, ONE_GPU, Strategy.GPU, "decode:1x1024");
    long gemm = flops(of(c, 0, Gemm.class, null));
    long weights = m.activeParams() - m.params(ParamGroup.EMBEDDING) - m.params(ParamGroup.NORM)
        + (m.tiedEmbeddings() ? m.params(ParamGroup.LM_HEAD) : 0)
        - (long) m.layers() * (m.attention().params(m.dModel(), m.bias()) - m.attention().params(m.dModel(), BiasKind.NONE));
    assertEquals(2 * weights, gemm, name);
    long attention = flops(of(c, 0, Attention.class, null));
    assertEquals((long) m.layers() * 4 * m.attention().heads() * m.attention().headDim() * 1024, attention);
    long total = c.devices().get(0).totalFlops();
    assertTrue(total - gemm - attention < 0.01 * gemm, () -> name + ": other ops " + (total - gemm - attention));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mixtral-8x7b", "llama-3-8b"})
  void prefillGemmFlopsScaleWithTokensAndCausalAttentionWithTheirSquare(String name) {
    CompiledIteration small = compile(name, ONE_GPU, Strategy.GPU, "prefill:1x256");
    CompiledIteration big = compile(name, ONE_GPU, Strategy.GPU, "prefill:1x512");
    // the LM head runs on the last token only, whatever the prompt length
    long headSmall = flops(of(small, 0, Gemm.class, OpCategory.FC, g -> g.m() == 1));
    long headBig = flops(of(big, 0, Gemm.class, OpCategory.FC, g -> g.m() == 1));
    assertEquals(headSmall, headBig);
    assertTrue(headSmall > 0);
    long bodySmall = flops(of(small, 0, Gemm.class, null)) - headSmall;
    long bodyBig = flops(of(big, 0, Gemm.class, null)) - headBig;
    assertEquals(2 * bodySmall, bodyBig);
    // causal pairs: n(n+1)/2 per head
    long attSmall = flops(of(small, 0, Attention.class, null));
    long attBig = flops(of(big, 0, Attention.class, null));
    assertEquals((512.0 * 513) / (256.0 * 257), (double) attBig / attSmall, 1e-12);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mixtral-8x7b", "glam"})
  void tokensPerExpertSumToTokensTimesTopK(String name) {
    ModelSpec m = Models.load(name);
    CompiledIteration c = compile(name, ONE_GPU, Strategy.GPU, "decode:37x300,prefill:2x100");
    int tokens = 37 + 200;
    // the down projection is the expert GEMM whose output is d_model wide and input the expert FFN
    long rows = of(c, 0, Gemm.class, OpCategory.MOE, g -> g.k() == m.moe().expertFfnSize())
        .stream().mapToLong(Gemm::m).sum();
    assertEquals((long) tokens * m.moe().topK() * m.moeLayerCount(), rows);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mixtral-8x7b", "llama-3-8b"})
  void everyInstructionHasACategoryAndChainsToTheEmbedding(String name) {
    CompiledIteration c = compile(name, ONE_GPU, Strategy.GPU, "decode:4x64,prefill:1x16");
    var t = c.devices().get(0);
    for (int i = 1; i < t.size(); i++) {
      Instruction ins = t.get(i);
      assertTrue(!ins.deps().isEmpty(), () -> "instruction " + ins + " waits for nothing");
    }
    assertEquals(t.size(), c.categories().get(0).length);
  }
}
