package io.duplexsim.workloads.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.TraceHeader;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.exec.RooflineOpModel;
import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.OpCategory;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.IterationCost;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemIterationModelTest {
  private static final IterationBatch ONE_DECODE = new IterationBatch(List.of(new BatchEntry(0, Phase.DECODE, 1, 100)));

  private static Gemm gemm(int id, Unit unit, int n) {
    return new Gemm(id, unit, IntSeq.empty(), 1, 4096, n, TensorFormat.BF16, TensorFormat.BF16, null, null, null);
  }

  private static InstructionTrace trace(String device, Instruction... ins) {
    return new InstructionTrace(TraceHeader.of(device), List.of(ins));
  }

  @Test
  void theSlowestDeviceSetsTheTimeAndEnergyIsFiledByCategory() {
    var duplex = Devices.load("duplex");
    var roof = new RooflineOpModel(duplex, MemoryConfig.builder("HBM3-5.2").stacks(5).build(), null);
    InstructionTrace small = trace("d0", gemm(0, Unit.XPU, 1024), gemm(1, Unit.LOGIC_PIM, 1024));
    InstructionTrace large = trace("d1", gemm(0, Unit.XPU, 4096), gemm(1, Unit.LOGIC_PIM, 4096));
    OpCategory[] cats = {OpCategory.FC, OpCategory.MOE};
    CompiledIteration compiled = new CompiledIteration(ONE_DECODE, List.of(small, large), List.of(cats, cats));
    IterationCost cost = new SystemIterationModel(b -> compiled, roof).run(ONE_DECODE);
    double largeTime = roof.price(gemm(0, Unit.XPU, 4096)).timeNs();
    // the schedule keeps whole picoseconds
    assertEquals(largeTime, cost.timeNs(), 0.5e-3, "the logic-pim GEMM overlaps the xpu one");
    assertTrue(cost.energyPj().get("fc.dram") > 0 && cost.energyPj().get("fc.compute") > 0, cost.toString());
    assertTrue(cost.energyPj().get("moe.dram") > 0, cost.toString());
    assertTrue(cost.energyPj().get("fc.dram") > cost.energyPj().get("moe.dram"), "the xPU path costs more per bit");
    assertEquals("roofline", new SystemIterationModel(b -> compiled, roof).fidelity());
    assertEquals(2, cost.unitBusyNs().size());
  }
}
