package io.duplexsim.workloads.system;

import io.duplexsim.units.exec.DeviceRun;
import io.duplexsim.workloads.compiler.CompiledIteration;
import java.util.List;

/**
 * Sees every iteration a {@link SystemIterationModel} prices, in order, with each device's schedule (when
 * each instruction started and ended on its unit): what a timeline export records. Observing changes
 * nothing that is priced.
 */
@FunctionalInterface
public interface IterationObserver {
  /** Observes nothing. */
  IterationObserver NONE = (compiled, runs) -> { };

  /** {@code runs.get(d)} is device d's run of {@code compiled.devices().get(d)}. */
  void priced(CompiledIteration compiled, List<DeviceRun> runs);
}
