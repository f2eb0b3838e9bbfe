package io.duplexsim.units.nearmemory;

import io.duplexsim.isa.Softmax;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.units.OpResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A standalone row softmax on the stacks' softmax units: rows are dealt round-robin over the stacks
 * and each stack's unit takes its rows one after another. The rows are taken to be in the units'
 * buffers already (scores a previous near-memory op left there, as in fused attention), so no DRAM
 * traffic is simulated and bytes is 0; energy is the ALU operations
 * ({@link SoftmaxUnitConfig#energyPj}).
 */
public final class NearMemorySoftmax {
  private NearMemorySoftmax() {}

  public static OpResult run(NearMemoryConfig pim, MemoryConfig memoryConfig, Softmax op) {
    int stacks = memoryConfig.stacks();
    ClockDomain clock = new ClockDomain(pim.name() + ".softmax", pim.softmax().clockMHz() * 1_000_000L);
    TimeBase.of(List.of(clock));
    Scheduler scheduler = new Scheduler(clock.timeBase(), memoryConfig.fastForward());
    List<SoftmaxUnit> units = new ArrayList<>();
    for (int s = 0; s < stacks; s++) {
      SoftmaxUnit u = new SoftmaxUnit(pim.softmax(), clock, scheduler);
      u.attach(scheduler.register(u, clock));
      units.add(u);
    }
    for (int r = 0; r < op.rows(); r++) {
      units.get(r % stacks).submit(op.cols(), 0, tick -> { });
    }
    scheduler.run();
    long done = 0;
    long busy = 0;
    long elements = 0;
    for (SoftmaxUnit u : units) {
      done = Math.max(done, u.lastDone());
      busy += u.busyCycles();
      elements += u.elements();
    }
    double ns = clock.nsOf(done);
    long flops = op.flops();
    double energy = SoftmaxUnitConfig.energyPj(elements);
    double busyFraction = busy / ((double) done * stacks);
    return new OpResult(done, ns, flops, 0, flops / ns / 1000, 0, busyFraction, "softmax", energy,
        Map.of(pim.name() + ".softmax", energy));
  }
}
