package io.duplexsim.isa.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.isa.Barrier;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.TraceHeader;
import io.duplexsim.isa.Unit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerialRooflineExecutorTest {
  // 1 TFLOP/s and 1 TB/s: 1 flop or 1 byte = 1 ps
  private final Executor exec = new SerialRooflineExecutor(Map.of(
      Unit.XPU, new UnitRoofline(1e12, 1e12),
      Unit.LOGIC_PIM, new UnitRoofline(1e12, 1e12)), 1e9);

  /** 2*1000*1000*1 = 2e6 flops = 2000 ns; bytes ~2e6 + small: compute-bound at 2000 ns. */
  private static Gemm gemm(int id, Unit unit, int... deps) {
    return new Gemm(id, unit, IntSeq.of(deps), 1000, 1000, 1, TensorFormat.FP8,
        TensorFormat.FP8, null, null, null);
  }

  @Test
  void independentInstructionsOnDifferentUnitsOverlap() {
    ExecutionResult r = exec.run(new InstructionTrace(TraceHeader.of("d"),
        List.of(gemm(0, Unit.XPU), gemm(1, Unit.LOGIC_PIM))));
    assertEquals(2000, r.timeNs(), 1e-6);
    assertEquals(2000, r.cycles());
    assertEquals(0, r.timings().get(1).startNs(), 1e-9);
    assertEquals(1.0, r.utilisation(Unit.XPU), 1e-9);
  }

  @Test
  void dependentInstructionsSerialize() {
    ExecutionResult r = exec.run(new InstructionTrace(TraceHeader.of("d"),
        List.of(gemm(0, Unit.XPU), gemm(1, Unit.LOGIC_PIM, 0))));
    assertEquals(4000, r.timeNs(), 1e-6);
    assertEquals(2000, r.timings().get(1).startNs(), 1e-6);
  }

  @Test
  void oneUnitRunsOneInstructionAtATime() {
    ExecutionResult r = exec.run(new InstructionTrace(TraceHeader.of("d"),
        List.of(gemm(0, Unit.XPU), gemm(1, Unit.XPU), new Barrier(2, Unit.LOGIC_PIM,
            IntSeq.of(0, 1)))));
    assertEquals(4000, r.timeNs(), 1e-6);
    assertEquals(4000, r.unitBusyNs().get(Unit.XPU), 1e-6);
    assertEquals(4000, r.timings().get(2).endNs(), 1e-6);
    assertEquals(2 * gemm(0, Unit.XPU).bytes(), r.bytesByPath().get("xpu"));
  }
}
