package io.duplexsim.workloads.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Derived sizes of {@link ModelSpec}, worked out by hand for Llama-3-8B and Mixtral-8x7B. */
class ModelSpecTest {
  private static final ModelSpec LLAMA = Models.preset("llama-3-8b");
  private static final ModelSpec MIXTRAL = Models.preset("mixtral-8x7b");
  // Llama-3-8B: q and o 4096 x 4096, k and v 4096 x 1024; FFN 3 x 4096 x 14336; two RMSNorms a block.
  private static final long LLAMA_ATTENTION = 2L * 4096 * 4096 + 2L * 4096 * 1024;
  private static final long LLAMA_FFN = 3L * 4096 * 14336;
  private static final long LLAMA_EMBEDDING = 128256L * 4096;
  private static final long LLAMA_LINEAR = 32 * (LLAMA_ATTENTION + LLAMA_FFN);
  private static final long LLAMA_NORMS = 65L * 4096;

  static List<String> presets() {
    return Models.names();
  }

  @Test
  void llamaLayerParamsByGroup() {
    assertEquals(41_943_040L, LLAMA_ATTENTION);
    assertEquals(LLAMA_ATTENTION, LLAMA.layerParams(7, ParamGroup.ATTENTION));
    assertEquals(LLAMA_FFN, LLAMA.layerParams(7, ParamGroup.DENSE_FFN));
    assertEquals(2 * 4096, LLAMA.layerParams(7, ParamGroup.NORM));
    assertEquals(0, LLAMA.layerParams(7, ParamGroup.ROUTED_EXPERTS));
    assertEquals(0, LLAMA.layerParams(7, ParamGroup.ROUTER));
    assertEquals(LLAMA_EMBEDDING, LLAMA.params(ParamGroup.EMBEDDING));
    assertEquals(LLAMA_EMBEDDING, LLAMA.params(ParamGroup.LM_HEAD));
    assertEquals(LLAMA_LINEAR + LLAMA_NORMS + 2 * LLAMA_EMBEDDING, LLAMA.totalParams());
    assertEquals(LLAMA.totalParams(), LLAMA.activeParams());
  }

  @Test
  void weightBytesQuantizeOnlyTheLinearLayersOfBlocks() {
    double rest = 2.0 * (LLAMA_NORMS + 2 * LLAMA_EMBEDDING); // norms, embedding and LM head stay 16-bit
    assertEquals(2.0 * LLAMA.totalParams(), LLAMA.totalWeightBytes(WeightFormat.BF16));
    assertEquals(LLAMA_LINEAR + rest, LLAMA.totalWeightBytes(WeightFormat.W8A8_FP8));
    assertEquals(LLAMA_LINEAR + rest, LLAMA.totalWeightBytes(WeightFormat.W8A8_INT8));
    // W4A16: half a byte per weight plus one FP16 scale per 128 weights (policies.md: ~0.516).
    assertEquals(LLAMA_LINEAR * (0.5 + 2.0 / 128) + rest, LLAMA.totalWeightBytes(WeightFormat.W4A16), 1e-3);
    assertEquals(LLAMA_FFN * 0.515625, LLAMA.layerWeightBytes(0, ParamGroup.DENSE_FFN, WeightFormat.W4A16));
    assertEquals(2.0 * LLAMA_EMBEDDING, LLAMA.weightBytes(ParamGroup.LM_HEAD, WeightFormat.W4A16));
  }

  @Test
  void mixtralExpertsAndActiveParams() {
    long expert = 3L * 4096 * 14336;
    assertEquals(expert, MIXTRAL.expertParams());
    assertEquals(2.0 * expert, MIXTRAL.expertWeightBytes(WeightFormat.BF16));
    assertEquals(1.0 * expert, MIXTRAL.expertWeightBytes(WeightFormat.W8A8_INT8));
    assertEquals(32, MIXTRAL.moeLayerCount());
    assertEquals(8 * expert, MIXTRAL.layerParams(31, ParamGroup.ROUTED_EXPERTS));
    assertEquals(4096L * 8, MIXTRAL.layerParams(31, ParamGroup.ROUTER));
    assertEquals(0, MIXTRAL.layerParams(31, ParamGroup.DENSE_FFN));
    assertEquals(MIXTRAL.totalParams() - 32 * 6 * expert, MIXTRAL.activeParams());
  }

  @Test
  void whichBlocksAreMoe() {
    ModelSpec glam = Models.preset("glam");
    assertEquals(16, glam.moeLayerCount());
    assertFalse(glam.isMoeLayer(0)); // GLaM: a dense block first, then alternating
    assertTrue(glam.isMoeLayer(1));
    assertFalse(glam.isMoeLayer(30));
    assertTrue(glam.isMoeLayer(31));
    ModelSpec v3 = Models.preset("deepseek-v3");
    assertEquals(58, v3.moeLayerCount());
    assertFalse(v3.isMoeLayer(2));
    assertTrue(v3.isMoeLayer(3));
    assertEquals(3L * 7168 * 18432, v3.layerParams(2, ParamGroup.DENSE_FFN));
    assertEquals(3L * 7168 * 2048, v3.layerParams(3, ParamGroup.SHARED_EXPERTS));
    assertEquals(1, Models.preset("deepseek-v2").layers() - Models.preset("deepseek-v2").moeLayerCount());
    assertThrows(IndexOutOfBoundsException.class, () -> v3.isMoeLayer(61));
  }

  @Test
  void attentionKinds() {
    assertEquals(AttentionKind.GQA, LLAMA.attentionKind());
    assertEquals(4, LLAMA.attention().groupSize());
    assertEquals(AttentionKind.MHA, Models.preset("opt-66b").attentionKind());
    assertEquals(AttentionKind.MHA, Models.preset("glam").attentionKind());
    assertEquals(AttentionKind.MQA, Models.preset("gemma-2b").attentionKind());
    assertEquals(AttentionKind.MLA, Models.preset("deepseek-v3").attentionKind());
  }

  @Test
  void kvBytesFollowTheKvFormat() {
    assertEquals(4096.0, LLAMA.kvBytesPerTokenPerLayer(TensorFormat.BF16));
    assertEquals(65536.0, LLAMA.kvBytesPerToken(TensorFormat.FP8));
    assertEquals(131072 * 0.515625 / 2, LLAMA.kvBytesPerToken(TensorFormat.INT4_G128_FP16));
    // MLA caches the 512-wide latent plus one 64-wide rotary key per token and layer.
    assertEquals(576.0 * 2, Models.preset("deepseek-v3").kvBytesPerTokenPerLayer(TensorFormat.BF16));
  }

  @Test
  void tiedHeadIsStoredOnceButStillRead() {
    ModelSpec gemma = Models.preset("gemma-2b");
    double head = gemma.weightBytes(ParamGroup.LM_HEAD, WeightFormat.BF16);
    assertEquals(2.0 * 256000 * 2048, head);
    assertEquals(2.0 * gemma.totalParams(), gemma.totalWeightBytes(WeightFormat.BF16));
    long all = 0;
    for (ParamGroup g : ParamGroup.values()) {
      all += gemma.params(g);
    }
    assertEquals(all - 256000L * 2048, gemma.totalParams());
  }

  @Test
  void optCountsBiasesLayerNormAndLearnedPositions() {
    ModelSpec opt = Models.preset("opt-66b");
    long d = 9216;
    assertEquals(4 * d * d + 4 * d, opt.layerParams(0, ParamGroup.ATTENTION));
    assertEquals(2 * d * 36864 + 36864 + d, opt.layerParams(0, ParamGroup.DENSE_FFN));
    assertEquals(4 * d, opt.layerParams(0, ParamGroup.NORM)); // two LayerNorms, gain and bias each
    assertEquals((50272 + 2048) * d, opt.params(ParamGroup.EMBEDDING));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void groupsAddUpToTheTotal(String name) {
    ModelSpec m = Models.preset(name);
    long sum = m.params(ParamGroup.EMBEDDING) + (m.tiedEmbeddings() ? 0 : m.params(ParamGroup.LM_HEAD))
        + m.params(ParamGroup.NORM) - m.layerParams(0, ParamGroup.NORM) * m.layers(); // the final norm
    for (ParamGroup g : ParamGroup.values()) {
      if (g.perBlock()) {
        sum += IntStream.range(0, m.layers()).mapToLong(i -> m.layerParams(i, g)).sum();
      }
    }
    assertEquals(m.totalParams(), sum);
    assertTrue(m.activeParams() <= m.totalParams());
    assertEquals(m.isMoe(), m.activeParams() < m.totalParams());
  }

  @Test
  void deepSeekLoadsButTheCompilerIsTold() {
    ModelSpec v3 = Models.preset("deepseek-v3");
    assertEquals(List.of("MLA attention (kv_lora_rank 512)", "shared experts (1)"), v3.unsupportedFeatures());
    InputException e = assertThrows(InputException.class, v3::requireCompilable);
    assertEquals("model 'deepseek-v3': MLA attention (kv_lora_rank 512) and shared experts (1) are not yet "
        + "supported by the layer compiler", e.getMessage());
    MIXTRAL.requireCompilable();
    assertTrue(Models.preset("glam").unsupportedFeatures().isEmpty());
  }
}
