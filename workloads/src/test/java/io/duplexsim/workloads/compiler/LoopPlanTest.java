package io.duplexsim.workloads.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.Norm;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import io.duplexsim.workloads.model.RecursiveSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopPlanTest {
  private static final ModelSpec TINY = Models.preset("tinyllama-1.1b"); // 22 layers: 11 shared x 2 loops
  private static final SystemPreset GPU = Systems.of("gpu", 1, 1);
  private static final IterationBatch BATCH = BatchSpec.parse("decode:3x200,prefill:1x40");

  private static CompiledIteration compile(IterationBatch batch, LoopPlan loops) {
    return new LayerCompiler(new UniformRouter(7), null).compile(TINY, GPU, Strategy.GPU, WeightFormat.BF16, batch,
        id -> true, loops);
  }

  private static List<Gemm> adapterGemms(CompiledIteration c) {
    return Traces.of(c, 0, Gemm.class, OpCategory.FC, g -> g.k() == 8 || g.n() == 8);
  }

  private static long weightBytes(CompiledIteration c, int rank) {
    return Traces.of(c, 0, Gemm.class, null, g -> g.k() != rank && g.n() != rank).stream()
        .mapToLong(Gemm::weightBytes).sum();
  }

  @Test
  void theUnrolledStrictRecursiveModelCompilesToTheVanillaModel() {
    CompiledIteration vanilla = compile(BATCH, null);
    CompiledIteration unrolled = compile(BATCH, LoopPlan.unrolled(TINY, new RecursiveSpec(2, 0)));
    assertEquals(vanilla.devices().get(0).instructions(), unrolled.devices().get(0).instructions());
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 11, 22})
  void adaptersAddTwoRankTimesInPlusOutFlopsPerAdaptedMatrixPerToken(int loops) {
    RecursiveSpec spec = new RecursiveSpec(loops, 8);
    CompiledIteration unrolled = compile(BATCH, LoopPlan.unrolled(TINY, spec));
    long extra = Traces.flops(unrolled.devices().get(0).instructions()) - Traces.flops(
        compile(BATCH, null).devices().get(0).instructions());
    assertEquals(BATCH.tokens() * spec.loraFlopsPerToken(TINY), extra, 1e-6);
    long adapterWeights = adapterGemms(unrolled).stream().mapToLong(Gemm::weightBytes).sum();
    assertEquals(spec.adapterBytes(TINY), adapterWeights, 1e-6, "each (layer, loop) reads its own set once");
    assertTrue(adapterGemms(unrolled).stream().allMatch(g -> g.weightFormat() == TensorFormat.BF16));
  }

  @Test
  void aDepthwiseBatchAtTwoDepthsReadsTheSharedBlockOnceAndBothAdapterSets() {
    RecursiveSpec spec = new RecursiveSpec(2, 8);
    // requests 0-2 decode: 0 at loop 0, 1 and 2 at loop 1 (1 leaves); 3 is a prefill chunk at loop 0
    LoopPlan plan = LoopPlan.depthwise(TINY, spec, id -> id == 1 || id == 2 ? 1 : 0, id -> id == 1);
    CompiledIteration depth = compile(BATCH, plan);
    CompiledIteration unrolled = compile(BATCH, LoopPlan.unrolled(TINY, spec));
    long head = (long) TINY.vocab() * TINY.dModel() * 2;
    assertEquals(weightBytes(unrolled, 8) - head, 2 * (weightBytes(depth, 8) - head),
        "11 shared layers' weights, read once for both depths");
    long sets = adapterGemms(depth).stream().mapToLong(Gemm::weightBytes).sum();
    assertEquals(spec.adapterBytes(TINY), sets, 1e-6, "per shared layer: loop 1's set and loop 2's set");
    List<Gemm> lmHead = Traces.of(depth, 0, Gemm.class, OpCategory.FC, g -> g.n() == TINY.vocab());
    assertEquals(1, lmHead.size());
    assertEquals(1, lmHead.get(0).m(), "logits only for the token that leaves");
    List<Norm> norms = Traces.of(depth, 0, Norm.class, null);
    assertEquals(1, norms.get(norms.size() - 1).tokens(), "the final norm only over leaving tokens");
    // embedding: the loop-0 tokens (request 0's and the prefill chunk's)
    Instruction embed = depth.devices().get(0).get(0);
    assertEquals(41L * TINY.dModel() * 2 * 2, embed.bytes());
  }

  @Test
  void theLoopsOfADepthwiseLockstepBatchAddUpToTheUnrolledIteration() {
    RecursiveSpec spec = new RecursiveSpec(2, 8);
    Set<Long> all = Set.of(0L, 1L, 2L, 3L);
    CompiledIteration first = compile(BATCH, LoopPlan.depthwise(TINY, spec, id -> 0, id -> false));
    CompiledIteration second = compile(BATCH, LoopPlan.depthwise(TINY, spec, id -> 1, all::contains));
    CompiledIteration unrolled = compile(BATCH, LoopPlan.unrolled(TINY, spec));
    List<Instruction> u = unrolled.devices().get(0).instructions();
    List<Instruction> a = first.devices().get(0).instructions();
    List<Instruction> b = second.devices().get(0).instructions();
    assertEquals(u.size(), a.size() + b.size());
    assertEquals(Traces.flops(u), Traces.flops(a) + Traces.flops(b));
    assertEquals(u.stream().mapToLong(Instruction::bytes).sum(),
        a.stream().mapToLong(Instruction::bytes).sum() + b.stream().mapToLong(Instruction::bytes).sum());
  }
}
