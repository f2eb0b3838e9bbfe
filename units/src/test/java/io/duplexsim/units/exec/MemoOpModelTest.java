package io.duplexsim.units.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.xpu.XpuConfig;
import io.duplexsim.units.xpu.XpuGemm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoOpModelTest {
  /** Prices a GEMM at 1 us per token row and records what it was asked. */
  private static final class RowsModel implements OpModel {
    final List<Integer> asked = new ArrayList<>();

    @Override
    public OpResult price(Instruction ins) {
      int m = ((Gemm) ins).m();
      asked.add(m);
      return new OpResult(m, 1000.0 * m, ins.flops(), 100L * m, 0, 0, 0, "memory", m, Map.of("dram.x", (double) m));
    }

    @Override
    public String fidelity() {
      return "cycle";
    }
  }

  private static Gemm gemm(int m) {
    return new Gemm(0, Unit.XPU, IntSeq.empty(), m, 64, 64, TensorFormat.BF16, TensorFormat.BF16, null, null, null);
  }

  @Test
  void rowBucketsArePowersOfTwoThenMultiplesOf128() {
    assertEquals(64, MemoOpModel.rowBucketBelow(100));
    assertEquals(128, MemoOpModel.rowBucketAbove(100));
    assertEquals(256, MemoOpModel.rowBucketBelow(300));
    assertEquals(384, MemoOpModel.rowBucketAbove(300));
    assertEquals(128, MemoOpModel.rowBucketAbove(128));
  }

  @Test
  void memoInterpolatesTokenRowsBetweenBucketsAndKeepsTheTrueFlops() {
    RowsModel inner = new RowsModel();
    MemoOpModel memo = new MemoOpModel(inner, 1);
    OpResult r = memo.price(gemm(24));
    assertEquals(List.of(16, 32), inner.asked, "simulated at the buckets on either side");
    assertEquals(24_000.0, r.timeNs(), 1e-9);
    assertEquals(gemm(24).flops(), r.flops());
    assertEquals(24.0, r.energyPj(), 1e-9);
    memo.price(gemm(20));
    assertEquals(2, inner.asked.size(), "20 rows reuse both buckets");
  }

  @Test
  void aboveOneTileAGemmIsSimulatedAtTheFirstAndLastRowsOfItsTileCount() {
    RowsModel inner = new RowsModel();
    MemoOpModel memo = new MemoOpModel(inner, 1);
    OpResult r = memo.price(gemm(700));
    // 700 rows need six 128-row tiles, as 641 and 768 do; 640 would need five (where the time steps)
    assertEquals(List.of(641, 768), inner.asked);
    assertEquals(700_000.0, r.timeNs(), 1e-6);
    memo.price(gemm(641));
    memo.price(gemm(768));
    assertEquals(2, inner.asked.size(), "the bucket's own ends are exact");
    memo.price(gemm(100));
    assertEquals(List.of(641, 768, 64, 128), inner.asked, "below one tile: powers of two");
  }

  @Test
  void perTokenStreamingOpsInterpolateTheirTokenRowsLikeGemms() {
    List<Integer> asked = new ArrayList<>();
    OpModel byTokens = new OpModel() {
      @Override
      public OpResult price(Instruction ins) {
        int t = ins instanceof io.duplexsim.isa.Norm n ? n.tokens() : ((io.duplexsim.isa.Rotary) ins).tokens();
        asked.add(t);
        return new OpResult(t, 10.0 * t, ins.flops(), 8L * t, 0, 0, 0, "memory", t, Map.of("dram.x", (double) t));
      }

      @Override
      public String fidelity() {
        return "cycle";
      }
    };
    MemoOpModel memo = new MemoOpModel(byTokens, 16);
    var norm = new io.duplexsim.isa.Norm(0, Unit.XPU, IntSeq.empty(), io.duplexsim.isa.NormKind.RMSNORM, 1000, 4096,
        TensorFormat.BF16);
    OpResult r = memo.price(norm);
    assertEquals(List.of(896, 1024), asked, "a 1000-token prefill's norm is simulated at 896 and 1024 rows");
    assertEquals(10_000.0, r.timeNs(), 1e-9);
    assertEquals(8_000, r.bytes());
    assertEquals(norm.flops(), r.flops());
    memo.price(new io.duplexsim.isa.Norm(1, Unit.XPU, IntSeq.empty(), io.duplexsim.isa.NormKind.RMSNORM, 950, 4096,
        TensorFormat.BF16));
    assertEquals(2, asked.size(), "950 tokens reuse both buckets");
    memo.price(new io.duplexsim.isa.Rotary(2, Unit.XPU, IntSeq.empty(), 12, 32, 128, TensorFormat.BF16));
    assertEquals(12, asked.get(2), "up to 16 tokens are exact");
  }

  @Test
  void aPairOfNewGemmShapesPricesAsTheirOwnCycleLevelRunsDo() {
    // both ends of 700 rows' bucket are new: memo simulates them at once (on a second core if there is one)
    DevicePreset duplex = Devices.load("duplex");
    MemoryConfig oneStack = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
    MemoOpModel memo = new MemoOpModel(new CycleOpModel(duplex, oneStack, null), 16);
    Gemm wide = new Gemm(0, Unit.XPU, IntSeq.empty(), 700, 128, 512, TensorFormat.BF16, TensorFormat.BF16, null, null,
        null);
    OpResult paired = memo.price(wide);
    XpuConfig xpu = duplex.xpuConfig().orElseThrow();
    OpResult lo = XpuGemm.run(xpu, oneStack, 641, 128, 512, TensorFormat.BF16);
    OpResult hi = XpuGemm.run(xpu, oneStack, 768, 128, 512, TensorFormat.BF16);
    double t = (700 - 641) / 127.0;
    assertEquals(lo.timeNs() + t * (hi.timeNs() - lo.timeNs()), paired.timeNs(), 0.0);
    assertEquals(lo.energyPj() + t * (hi.energyPj() - lo.energyPj()), paired.energyPj(), 1e-6 * lo.energyPj());
    assertEquals(2, memo.misses());
    assertEquals(2.0, memo.simulatedShapes().get("Gemm@xpu")[0]);
    // the second end is cached like the first: no new simulation for either
    assertEquals(hi, memo.price(withM(wide, 768)));
    assertEquals(lo, memo.price(withM(wide, 641)));
    assertEquals(2, memo.misses());
    assertEquals(2, memo.hits());
  }

  @Test
  void prefetchingSimulatesWhatPricingNeedsAndPricesStayTheSame() {
    // an iteration's new shapes handed over at once are simulated side by side; pricing them afterwards
    // simulates nothing more, composes what it composes, and gives the prices it gives without prefetch
    DevicePreset duplex = Devices.load("duplex");
    MemoryConfig oneStack = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
    List<Instruction> iteration = List.of(
        new Gemm(0, Unit.XPU, IntSeq.empty(), 700, 128, 512, TensorFormat.BF16, TensorFormat.BF16, null, null, null),
        new Gemm(1, Unit.XPU, IntSeq.of(0), 8, 128, 256, TensorFormat.BF16, TensorFormat.BF16, null, null, null),
        new Gemm(2, Unit.LOGIC_PIM, IntSeq.of(1), 4, 256, 256, TensorFormat.BF16, TensorFormat.BF16, null, null, null),
        new io.duplexsim.isa.Norm(3, Unit.XPU, IntSeq.of(2), io.duplexsim.isa.NormKind.RMSNORM, 100, 256,
            TensorFormat.BF16),
        new io.duplexsim.isa.Attention(4, Unit.LOGIC_PIM, IntSeq.of(3), IntSeq.of(1, 1), IntSeq.of(40, 70), 8, 2, 128,
            true, io.duplexsim.isa.AttentionPhase.DECODE, TensorFormat.BF16, null),
        new Gemm(5, Unit.XPU, IntSeq.of(4), 700, 128, 512, TensorFormat.BF16, TensorFormat.BF16, null, null, null));
    MemoOpModel plain = new MemoOpModel(new CycleOpModel(duplex, oneStack, null), 16).withHelpers(null, 0);
    List<OpResult> expected = iteration.stream().map(plain::price).toList();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      for (int helpers : new int[] {1, 3}) { // one helper (a 2-core machine) and more than one
        MemoOpModel ahead = new MemoOpModel(new CycleOpModel(duplex, oneStack, null), 16).withHelpers(pool, helpers);
        ahead.prefetch(iteration);
        long prefetched = ahead.misses();
        assertEquals(plain.misses(), prefetched, "the GEMMs' bucket ends, the exact GEMMs and the norm's ends");
        assertEquals(0, ahead.composedShapes(), "decode attention is composed when priced, not simulated ahead");
        assertEquals(expected, iteration.stream().map(ahead::price).toList(), helpers + " helpers");
        assertEquals(prefetched, ahead.misses());
        assertEquals(plain.composedShapes(), ahead.composedShapes());
      }
    } finally {
      pool.shutdownNow();
    }
    // the exact variant (cycle fidelity) simulates every new shape, decode attention too
    MemoOpModel exact = MemoOpModel.exact(new CycleOpModel(duplex, oneStack, null));
    exact.prefetch(iteration);
    long exactPrefetched = exact.misses();
    MemoOpModel exactPlain = MemoOpModel.exact(new CycleOpModel(duplex, oneStack, null));
    assertEquals(iteration.stream().map(exactPlain::price).toList(), iteration.stream().map(exact::price).toList());
    assertEquals(exactPlain.misses(), exactPrefetched);
    assertEquals(exactPrefetched, exact.misses());
  }

  private static Gemm withM(Gemm g, int m) {
    return new Gemm(1, g.unit(), g.deps(), m, g.k(), g.n(), g.weightFormat(), g.activationFormat(), null, null, null);
  }

  @Test
  void theExactVariantNeverRoundsAndSimulatesEachShapeOnce() {
    RowsModel inner = new RowsModel();
    MemoOpModel exact = MemoOpModel.exact(inner);
    exact.price(gemm(24));
    exact.price(gemm(24));
    exact.price(gemm(25));
    assertEquals(List.of(24, 25), inner.asked);
    assertEquals("cycle", exact.fidelity());
  }
  @Test
  void newShapesAreOrderedByTheCyclesTheirSimulationRuns() {
    // decode GEMMs stream their weights: bytes rank them; a prefill GEMM is compute-bound: flops do
    Gemm small = new Gemm(0, Unit.XPU, IntSeq.empty(), 4, 4096, 1024, TensorFormat.BF16, TensorFormat.BF16, null, null,
        null);
    Gemm wide = new Gemm(0, Unit.XPU, IntSeq.empty(), 4, 4096, 14336, TensorFormat.BF16, TensorFormat.BF16, null, null,
        null);
    Gemm prefill = new Gemm(0, Unit.XPU, IntSeq.empty(), 2048, 4096, 14336, TensorFormat.BF16, TensorFormat.BF16, null,
        null, null);
    assertEquals(wide.bytes(), MemoOpModel.simulationCost(wide));
    assertTrue(MemoOpModel.simulationCost(small) < MemoOpModel.simulationCost(wide));
    assertEquals(prefill.flops() / 300, MemoOpModel.simulationCost(prefill));
    assertTrue(MemoOpModel.simulationCost(wide) < MemoOpModel.simulationCost(prefill));
  }
}
