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
}
