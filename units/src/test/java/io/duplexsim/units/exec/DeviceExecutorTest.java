package io.duplexsim.units.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Norm;
import io.duplexsim.isa.NormKind;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.TraceHeader;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.device.CoRun;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.xpu.XpuGemm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceExecutorTest {
  private static final MemoryConfig ONE_STACK = MemoryConfig.builder("HBM3-5.2").stacks(1).build();

  /** Every instruction takes (id + 1) microseconds: the executor's scheduling alone is under test. */
  private static final OpModel MICROSECONDS_BY_ID = new OpModel() {
    @Override
    public OpResult price(Instruction ins) {
      return new OpResult(0, 1000.0 * (ins.id() + 1), 0, 100, 0, 0, 0, "memory", 5, Map.of("dram.x", 5.0));
    }

    @Override
    public String fidelity() {
      return "test";
    }
  };

  private static Gemm gemm(int id, Unit unit, int... deps) {
    return new Gemm(id, unit, IntSeq.of(deps), 1, 256, 256, TensorFormat.BF16, TensorFormat.BF16, null, null, null);
  }

  private static InstructionTrace trace(Instruction... ins) {
    return new InstructionTrace(TraceHeader.of("test"), List.of(ins));
  }

  @Test
  void unitsRunConcurrentlyAndEachUnitInOrder() {
    // 0 (xpu, 1 us) and 1 (logic-pim, 2 us) overlap; 2 (xpu, 3 us) waits for 0 on the xpu.
    var r = new DeviceExecutor(MICROSECONDS_BY_ID).run(trace(gemm(0, Unit.XPU), gemm(1, Unit.LOGIC_PIM),
        gemm(2, Unit.XPU)));
    assertEquals(4000.0, r.timeNs(), 1e-9);
    assertEquals(4000.0, r.unitBusyNs().get(Unit.XPU), 1e-9);
    assertEquals(15.0, r.totalEnergyPj(), 1e-9);
  }

  @Test
  void anInstructionWaitsForItsDependencies() {
    // 2 on the xpu depends on 1 on logic-pim (ends at 2 us), so it runs from 2 to 5 us.
    var r = new DeviceExecutor(MICROSECONDS_BY_ID).run(trace(gemm(0, Unit.XPU), gemm(1, Unit.LOGIC_PIM),
        gemm(2, Unit.XPU, 1)));
    assertEquals(5000.0, r.timeNs(), 1e-9);
    assertEquals(2000.0, r.timings().get(2).startNs(), 1e-9);
  }

  @Test
  void aDependencyMustComeFirst() {
    assertThrows(IllegalArgumentException.class,
        () -> new DeviceExecutor(MICROSECONDS_BY_ID).run(trace(gemm(0, Unit.XPU, 1), gemm(1, Unit.XPU))));
  }

  @Test
  void theCycleModelRunsEachInstructionOnItsUnit() {
    var duplex = Devices.load("duplex");
    CycleOpModel cycle = new CycleOpModel(duplex, ONE_STACK, null);
    Gemm onXpu = gemm(0, Unit.XPU);
    OpResult direct = XpuGemm.run(duplex.xpuConfig().orElseThrow(), ONE_STACK, 1, 256, 256, TensorFormat.BF16);
    assertEquals(direct, cycle.price(onXpu));
    OpResult norm = cycle.price(new Norm(1, Unit.XPU, IntSeq.empty(), NormKind.RMSNORM, 64, 4096, TensorFormat.BF16));
    assertTrue(norm.timeNs() > 0 && norm.bytes() >= 2L * 64 * 4096 * 2 * 95 / 100, norm.toString());
    DeviceRun run = new DeviceExecutor(cycle).runDetailed(trace(onXpu, gemm(1, Unit.LOGIC_PIM)));
    assertEquals(2, run.instructions().size());
    assertTrue(run.execution().energyPj().containsKey("logic-pim.mac"), run.execution().energyPj().toString());
  }

  @Test
  void memoPricesEachShapeOnceAndBucketsKvLengths() {
    var duplex = Devices.load("duplex");
    MemoOpModel memo = new MemoOpModel(new CycleOpModel(duplex, ONE_STACK, null), 16);
    OpResult a = memo.price(gemm(0, Unit.LOGIC_PIM));
    OpResult b = memo.price(gemm(7, Unit.LOGIC_PIM, 0));
    assertEquals(a, b);
    assertEquals(1, memo.misses());
    assertEquals(1, memo.hits());
    Attention x = attention(0, 1001, 1990);
    Attention y = attention(1, 1999, 1005); // the same lengths once rounded up to 16, in the other order
    assertEquals(memo.price(x), memo.price(y));
    // decode attention on Logic-PIM is composed from its pairs' runs, once per rounded shape
    assertEquals(1, memo.misses());
    assertEquals(1, memo.composedShapes());
    assertEquals(2, memo.hits());
  }

  private static Attention attention(int id, int kv0, int kv1) {
    return new Attention(id, Unit.LOGIC_PIM, IntSeq.empty(), IntSeq.of(1, 1), IntSeq.of(kv0, kv1), 8, 2, 128, false,
        AttentionPhase.DECODE, TensorFormat.BF16, null);
  }

  @Test
  void theRooflineModelIsNeverSlowerThanTheCycleModel() {
    var duplex = Devices.load("duplex");
    RooflineOpModel roof = new RooflineOpModel(duplex, ONE_STACK, null);
    CycleOpModel cycle = new CycleOpModel(duplex, ONE_STACK, null);
    // Large enough that latency does not dominate: 16 MB of weights, 4 MB of KV.
    Gemm xpu = new Gemm(0, Unit.XPU, IntSeq.empty(), 1, 2048, 4096, TensorFormat.BF16, TensorFormat.BF16, null, null,
        null);
    Gemm pim = new Gemm(1, Unit.LOGIC_PIM, IntSeq.empty(), 4, 2048, 4096, TensorFormat.BF16, TensorFormat.BF16, null,
        null, null);
    for (Instruction ins : List.of(xpu, pim)) {
      OpResult r = roof.price(ins);
      OpResult c = cycle.price(ins);
      assertTrue(r.timeNs() <= c.timeNs(), ins + ": roofline " + r.timeNs() + " vs cycle " + c.timeNs());
      assertTrue(r.timeNs() > 0.3 * c.timeNs(), ins + ": roofline " + r.timeNs() + " vs cycle " + c.timeNs());
    }
    // Two requests x two KV heads keep 4 of 32 pseudo-channels busy: the roofline cannot see that.
    Attention few = attention(2, 4096, 4096);
    assertTrue(cycle.price(few).timeNs() > 4 * roof.price(few).timeNs());
  }

  @Test
  void rooflineEnergyKeysComeInAFixedOrder() {
    // Sums over keys that share an energy bucket must not depend on a JVM's hash salt (same seed, same result).
    RooflineOpModel roof = new RooflineOpModel(Devices.load("duplex"), ONE_STACK, null);
    Gemm g = new Gemm(0, Unit.LOGIC_PIM, IntSeq.empty(), 4, 2048, 4096, TensorFormat.BF16, TensorFormat.BF16, null,
        null, null);
    assertEquals(List.of("dram.path.logic-pim", "logic-pim.mac"), List.copyOf(roof.price(g).energyBreakdownPj().keySet()));
  }

  @Test
  void withoutUnitOverlapEveryInstructionWaitsForThePreviousOne() {
    // ids 0 and 1 on different units, no deps: 1 us and 2 us together, 3 us one after the other
    InstructionTrace t = new InstructionTrace(TraceHeader.of("d"), List.of(
        new Gemm(0, Unit.XPU, IntSeq.empty(), 1, 64, 64, TensorFormat.BF16, TensorFormat.BF16, null, null, null),
        new Gemm(1, Unit.LOGIC_PIM, IntSeq.empty(), 1, 64, 64, TensorFormat.BF16, TensorFormat.BF16, null, null,
            null)));
    assertEquals(2000.0, new DeviceExecutor(MICROSECONDS_BY_ID).runDetailed(t).timeNs(), 1e-9);
    DeviceRun serial = new DeviceExecutor(MICROSECONDS_BY_ID, false).runDetailed(t);
    assertEquals(3000.0, serial.timeNs(), 1e-9);
    assertEquals(Map.of(Unit.XPU, 1000.0, Unit.LOGIC_PIM, 2000.0), serial.unitBusyNs(), "busy time stays per unit");
  }

  @Test
  void theScheduleKeepsWholePicosecondsSoItsSumsAreExact() {
    // 0.1 ns + 0.2 ns is not 0.3 ns in doubles; in whole picoseconds it is, whatever the order of the sums
    OpModel tenths = new OpModel() {
      @Override
      public OpResult price(Instruction ins) {
        return new OpResult(0, 0.1 * (ins.id() + 1) + 0.0001, 0, 0, 0, 0, 0, "memory", 0, Map.of());
      }

      @Override
      public String fidelity() {
        return "test";
      }
    };
    DeviceRun r = new DeviceExecutor(tenths).runDetailed(trace(gemm(0, Unit.XPU), gemm(1, Unit.XPU, 0)));
    assertEquals(0.3, r.timeNs());
    assertEquals(0.1, r.execution().timings().get(1).startNs());
    assertEquals(Map.of(Unit.XPU, 0.3), r.unitBusyNs());
  }

  private static Attention attention(int id, Unit unit, AttentionPhase phase, int... deps) {
    return new Attention(id, unit, IntSeq.of(deps), IntSeq.of(phase == AttentionPhase.PREFILL ? 64 : 1),
        IntSeq.of(64), 8, 2, 128, phase == AttentionPhase.PREFILL, phase, TensorFormat.BF16, null);
  }

  /** As {@link #MICROSECONDS_BY_ID}, and a pair priced together takes 1.5 times as long, counting the pairs. */
  private static final class SlowerTogether implements OpModel {
    int pairs;

    @Override
    public OpResult price(Instruction ins) {
      return MICROSECONDS_BY_ID.price(ins);
    }

    @Override
    public OpResult[] priceTogether(Attention onXpu, Attention onNearMemory, OpResult xpuAlone,
        OpResult nearMemoryAlone) {
      pairs++;
      return new OpResult[] {CycleOpModel.atTimeOf(xpuAlone, slower(xpuAlone)),
          CycleOpModel.atTimeOf(nearMemoryAlone, slower(nearMemoryAlone))};
    }

    private static OpResult slower(OpResult r) {
      return new OpResult(0, 1.5 * r.timeNs(), 0, 0, 0, 0, 0.5, "memory", 0, Map.of());
    }

    @Override
    public String fidelity() {
      return "test";
    }
  }

  @Test
  void attentionCoProcessingIsPricedTogetherWhenBothWaitForTheSameInstructions() {
    // 0 on the xpu (1 us); prefill attention 1 (xpu, 2 us) and decode attention 2 (logic-pim, 3 us) both
    // wait only for 0: they start together and take 3 and 4.5 us; 3 (xpu) needs both.
    SlowerTogether model = new SlowerTogether();
    DeviceRun run = new DeviceExecutor(model).runDetailed(trace(gemm(0, Unit.XPU),
        attention(1, Unit.XPU, AttentionPhase.PREFILL, 0), attention(2, Unit.LOGIC_PIM, AttentionPhase.DECODE, 0),
        gemm(3, Unit.XPU, 1, 2)));
    assertEquals(1, model.pairs);
    assertEquals(3000.0, run.instructions().get(1).timeNs(), 1e-9);
    assertEquals(4500.0, run.instructions().get(2).timeNs(), 1e-9);
    assertEquals(5, run.instructions().get(2).energyPj(), "energy stays as alone");
    assertEquals(5500.0, run.execution().timings().get(3).startNs(), 1e-9);
    assertEquals(9500.0, run.timeNs(), 1e-9);
    assertEquals(4500.0, run.unitBusyNs().get(Unit.LOGIC_PIM), 1e-9);
  }

  @Test
  void otherAttentionsArePricedAlone() {
    // decode attention after prefill (no co-processing), the units run one at a time, or no decode attention
    SlowerTogether model = new SlowerTogether();
    new DeviceExecutor(model).runDetailed(trace(gemm(0, Unit.XPU),
        attention(1, Unit.XPU, AttentionPhase.PREFILL, 0), attention(2, Unit.LOGIC_PIM, AttentionPhase.DECODE, 0, 1)));
    new DeviceExecutor(model, false).runDetailed(trace(gemm(0, Unit.XPU),
        attention(1, Unit.XPU, AttentionPhase.PREFILL, 0), attention(2, Unit.LOGIC_PIM, AttentionPhase.DECODE, 0)));
    new DeviceExecutor(model).runDetailed(trace(gemm(0, Unit.XPU),
        attention(1, Unit.XPU, AttentionPhase.PREFILL, 0), gemm(2, Unit.LOGIC_PIM, 0)));
    assertEquals(0, model.pairs);
  }

  @Test
  void theCycleModelRunsAnAttentionPairTogetherOnOneDevice() {
    MemoryConfig bundles = MemoryConfig.builder("HBM3-5.2").stacks(1).mapping(CoRun.BUNDLE_SPACES).build();
    var duplex = Devices.load("duplex");
    CycleOpModel cycle = new CycleOpModel(duplex, bundles, null);
    Attention prefill = new Attention(1, Unit.XPU, IntSeq.of(0), IntSeq.of(256, 256), IntSeq.of(256, 256), 8, 2,
        128, true, AttentionPhase.PREFILL, TensorFormat.BF16, null);
    int[] ones = new int[16];
    int[] kv = new int[16];
    java.util.Arrays.fill(ones, 1);
    java.util.Arrays.fill(kv, 1024);
    Attention decode = new Attention(2, Unit.LOGIC_PIM, IntSeq.of(0), IntSeq.of(ones), IntSeq.of(kv), 8, 2, 128,
        false, AttentionPhase.DECODE, TensorFormat.BF16, null);
    OpResult xAlone = cycle.price(prefill);
    OpResult pAlone = cycle.price(decode);
    OpResult[] together = cycle.priceTogether(prefill, decode, xAlone, pAlone);
    CoRun.Result r = CoRun.run(duplex.xpuConfig().orElseThrow(), duplex.nearMemory("logic-pim").orElseThrow(),
        bundles, CoRun.Op.attention(prefill), CoRun.Op.attention(decode), true);
    assertEquals(r.xpu().timeNs(), together[0].timeNs());
    assertEquals(r.nearMemory().timeNs(), together[1].timeNs());
    assertEquals(xAlone.energyPj(), together[0].energyPj());
    assertEquals(pAlone.bytes(), together[1].bytes());
    // in its own rank Logic-PIM barely notices the xPU (within 2%, and the 0.5% rank 0 and 1 differ by)
    assertTrue(together[1].timeNs() < 1.025 * pAlone.timeNs(), together[1].timeNs() + " vs " + pAlone.timeNs());
    // under another mapping the model prices them alone
    assertEquals(null, new CycleOpModel(duplex, ONE_STACK, null).priceTogether(prefill, decode, xAlone, pAlone));
    // and the executor takes the pair's prices
    Gemm first = new Gemm(0, Unit.XPU, IntSeq.empty(), 1, 256, 256, TensorFormat.BF16, TensorFormat.BF16, null,
        null, null);
    DeviceRun run = new DeviceExecutor(cycle).runDetailed(trace(first, prefill, decode));
    assertEquals(together[1].timeNs(), run.instructions().get(2).timeNs());
  }
}
