package io.duplexsim.units.xpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.units.OpResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupedGemmTest {
  private static final MemoryConfig ONE_STACK = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
  private static final XpuConfig SLICE = XpuConfig.h100().withSms(26);

  private static OpResult grouped(List<GemmProblem> problems) {
    DramStandard standard = MemorySystem.standardOf(ONE_STACK);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain clock = XpuGemm.clock(SLICE);
    TimeBase.of(List.of(hbm, clock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), true);
    MemorySystem memory = new MemorySystem(ONE_STACK, standard, hbm, scheduler, null);
    XpuGemm.Job job = XpuGemm.startGrouped(SLICE, memory, scheduler, clock, problems, TensorFormat.BF16,
        scheduler::stop);
    scheduler.run();
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, hbm.cycleAtOrAfter(clock.tickOf(job.endCycle())));
    return job.result(ledger);
  }

  @Test
  void onePackedProblemIsTheStandaloneGemm() {
    assertEquals(XpuGemm.run(SLICE, ONE_STACK, 130, 600, 700, TensorFormat.BF16),
        grouped(List.of(GemmProblem.packed(130, 600, 700, 0))));
  }

  @Test
  void smallProblemsShareTheSmsInsteadOfRunningOneAfterAnother() {
    // Each streams 1 MiB of W; eight in one queue overlap their loads (measured 19.0 us against
    // 8 x 2.7 us one after another; 8 MiB at the 665.6 GB/s pins needs 12.6 us).
    OpResult one = grouped(List.of(GemmProblem.packed(64, 1024, 512, 0)));
    List<GemmProblem> eight = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      eight.add(GemmProblem.packed(64, 1024, 512, p * (8L << 20)));
    }
    OpResult all = grouped(eight);
    assertEquals(8 * one.flops(), all.flops());
    assertTrue(all.timeNs() < 8 * one.timeNs(), one.timeNs() + " ns alone, " + all.timeNs() + " ns for eight");
    assertTrue(all.timeNs() >= 8.0 * (1 << 20) / 665.6, all.toString());
  }
}
