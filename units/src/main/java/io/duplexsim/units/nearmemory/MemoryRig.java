package io.duplexsim.units.nearmemory;

import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import java.util.List;

/** A fresh memory system and a near-memory unit's clock under one scheduler: where a unit's run happens. */
record MemoryRig(DramStandard standard, ClockDomain hbm, ClockDomain pimClock, Scheduler scheduler,
    MemorySystem memory) {
  static MemoryRig of(MemoryConfig memoryConfig, NearMemoryConfig pim) {
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain pimClock = new ClockDomain(pim.name(), pim.clockMHz() * 1_000_000L);
    TimeBase.of(List.of(hbm, pimClock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), memoryConfig.fastForward());
    return new MemoryRig(standard, hbm, pimClock, scheduler,
        new MemorySystem(memoryConfig, standard, hbm, scheduler, null));
  }
}
