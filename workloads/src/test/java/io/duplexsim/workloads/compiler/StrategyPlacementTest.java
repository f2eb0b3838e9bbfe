package io.duplexsim.workloads.compiler;

import static io.duplexsim.workloads.compiler.Traces.compile;
import static io.duplexsim.workloads.compiler.Traces.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.model.Models;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which unit each strategy puts each layer on, and what may overlap. */
class StrategyPlacementTest {
  private static final String MIXED = "decode:32x1024,prefill:1x512";

  private static Set<Unit> units(List<? extends Instruction> list) {
    return list.stream().map(Instruction::unit).collect(Collectors.toSet());
  }

  private static Attention attention(CompiledIteration c, AttentionPhase phase) {
    return of(c, 0, Attention.class, null, a -> a.phase() == phase).get(0);
  }

  @Test
  void duplexRunsDecodeAttentionAndDecodeStageMoeOnLogicPimAndPrefillOnTheXpu() {
    CompiledIteration mixed = compile("mixtral-8x7b", Systems.load("duplex-1x4"), Strategy.DUPLEX, MIXED);
    assertEquals(Unit.LOGIC_PIM, attention(mixed, AttentionPhase.DECODE).unit());
    assertEquals(Unit.XPU, attention(mixed, AttentionPhase.PREFILL).unit());
    // one unit at a time: decode attention waits for prefill attention
    Attention pre = attention(mixed, AttentionPhase.PREFILL);
    assertTrue(attention(mixed, AttentionPhase.DECODE).deps().stream().anyMatch(d -> d == pre.id()));
    assertEquals(Set.of(Unit.XPU), units(of(mixed, 0, Gemm.class, OpCategory.MOE)));
    assertEquals(Set.of(Unit.XPU), units(of(mixed, 0, Gemm.class, OpCategory.FC)));

    CompiledIteration decode = compile("mixtral-8x7b", Systems.load("duplex-1x4"), Strategy.DUPLEX, "decode:32x1024");
    assertEquals(Set.of(Unit.LOGIC_PIM), units(of(decode, 0, Gemm.class, OpCategory.MOE, g -> g.n() != 8)));
    assertEquals(Set.of(Unit.XPU), units(of(decode, 0, Gemm.class, OpCategory.FC)));
  }

  @Test
  void duplexPeLetsDecodeAttentionOverlapPrefillAttention() {
    CompiledIteration c = compile("mixtral-8x7b", Systems.load("duplex-1x4"), Strategy.DUPLEX_PE, MIXED);
    Attention pre = attention(c, AttentionPhase.PREFILL);
    Attention dec = attention(c, AttentionPhase.DECODE);
    assertEquals(Unit.XPU, pre.unit());
    assertEquals(Unit.LOGIC_PIM, dec.unit());
    assertEquals(pre.deps(), dec.deps());
    assertFalse(dec.deps().stream().anyMatch(d -> d == pre.id()));
  }

  @Test
  void bankPimRunsDecodeAttentionOnBankPim() {
    CompiledIteration c = compile("llama-3-8b", Systems.of("bank-pim", 4, 1), Strategy.BANK_PIM, MIXED);
    assertEquals(Unit.BANK_PIM, attention(c, AttentionPhase.DECODE).unit());
    assertEquals(Unit.XPU, attention(c, AttentionPhase.PREFILL).unit());
  }

  @Test
  void gpuKeepsEverythingOnTheXpuAndLinks() {
    CompiledIteration c = compile("mixtral-8x7b", Systems.load("gpu-1x4"), Strategy.GPU, MIXED);
    for (int d = 0; d < 4; d++) {
      assertEquals(Set.of(Unit.XPU, Unit.LINK), units(c.devices().get(d).instructions()));
    }
  }

  @Test
  void aStrategyNeedsItsUnit() {
    InputException e = assertThrows(InputException.class,
        () -> compile("mixtral-8x7b", Systems.load("gpu-1x4"), Strategy.DUPLEX, MIXED));
    assertTrue(e.getMessage().contains("logic-pim") && e.getMessage().contains("gpu-1x4"), e.getMessage());
  }

  @Test
  void weightFormatsChangeTheGemmsButNotTheKvCacheOrTheLmHead() {
    CompiledIteration c = Traces.compile(Models.load("llama-3-8b"), Systems.of("gpu", 1, 1), Strategy.GPU,
        WeightFormat.W4A16, "decode:2x128", new UniformRouter(1));
    List<Gemm> fc = of(c, 0, Gemm.class, OpCategory.FC);
    Gemm head = fc.get(fc.size() - 1);
    assertEquals(128256, head.n());
    assertEquals(TensorFormat.BF16, head.weightFormat());
    assertTrue(fc.subList(0, fc.size() - 1).stream().allMatch(g -> g.weightFormat() == TensorFormat.INT4_G128_FP16));
    assertEquals(TensorFormat.BF16, attention(c, AttentionPhase.DECODE).format());
  }

  @Test
  void mlaModelsAreNotYetSupported() {
    InputException e = assertThrows(InputException.class,
        () -> compile("deepseek-v3", Systems.of("gpu", 8, 1), Strategy.GPU, "decode:1x10"));
    assertTrue(e.getMessage().contains("MLA") && e.getMessage().contains("not yet supported"), e.getMessage());
  }
}
