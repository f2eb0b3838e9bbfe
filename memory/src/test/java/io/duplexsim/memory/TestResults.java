package io.duplexsim.memory;

import java.util.LinkedHashMap;
import java.util.Map;

/** What tests compare of two runs' results. */
final class TestResults {
  private TestResults() {}

  /** A result's figures without the wall-clock ones, the component ticks, and the keys named. */
  static Map<String, Object> simulated(MemoryResult r, String... alsoLeftOut) {
    Map<String, Object> m = new LinkedHashMap<>(r.toMap());
    m.remove("wall_s");
    m.remove("sim_cycles_per_s");
    m.remove("component_ticks");
    for (String k : alsoLeftOut) {
      m.remove(k);
    }
    return m;
  }
}
