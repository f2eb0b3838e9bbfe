package io.duplexsim.units.xpu;

import io.duplexsim.isa.Softmax;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.nearmemory.SoftmaxUnitConfig;
import java.util.List;

/**
 * A standalone row softmax on the xPU ({@link SoftmaxPass}): the rows x cols matrix is read from HBM
 * and the result written back, so it is normally memory-bound. Energy: the memory system's, plus
 * the ALU operations at the same per-operation figure as the near-memory softmax units
 * ({@link SoftmaxUnitConfig#energyPj}). busyFraction is the vector units'.
 */
public final class XpuSoftmax {
  private XpuSoftmax() {}

  public static OpResult run(XpuConfig xpu, MemoryConfig memoryConfig, Softmax op) {
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain clock = XpuGemm.clock(xpu);
    TimeBase.of(List.of(hbm, clock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), memoryConfig.fastForward());
    MemorySystem memory = new MemorySystem(memoryConfig, standard, hbm, scheduler, null);
    double e = op.format().bytesPerElement();
    long inBytes = (long) Math.ceil((double) op.rows() * op.cols() * e);
    long outBase = (inBytes + (2L << 20) - 1) / (2L << 20) * (2L << 20);
    SoftmaxPass pass = new SoftmaxPass(xpu, memory, scheduler, clock,
        List.of(new SoftmaxPass.Matrix(0, outBase, op.rows(), op.cols(), -1, 1)), e, scheduler::stop);
    scheduler.run();
    long end = pass.endCycle();
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, hbm.cycleAtOrAfter(clock.tickOf(end)));
    ledger.add("xpu.softmax", SoftmaxUnitConfig.energyPj(pass.elements()));
    double ns = clock.nsOf(end);
    long bytes = pass.dramBytes();
    double busy = pass.busyCycles() / ((double) xpu.sms() * end);
    double dramUtil = bytes / ns / memory.peakGBps();
    return new OpResult(end, ns, op.flops(), bytes, op.flops() / ns / 1000, bytes / ns, busy,
        busy >= dramUtil ? "compute" : "memory", ledger.totalPj(), ledger.byCategory());
  }
}
