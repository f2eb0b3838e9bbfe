package io.duplexsim.units.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import org.junit.jupiter.api.Test;

class ShapeHelpersTest {
  @Test
  void shapeThreadsAreTheSettingOrTheProcessorsParallelRunsLeave() {
    assertEquals(6, ShapeHelpers.shapeThreads(null, 6, 1));
    assertEquals(6, ShapeHelpers.shapeThreads(" ", 6, 1));
    assertEquals(5, ShapeHelpers.shapeThreads(null, 8, 4), "four runs on eight cores: each run and four helpers");
    assertEquals(1, ShapeHelpers.shapeThreads(null, 2, 2), "a 2-core sweep of two runs at once: no helper");
    assertEquals(1, ShapeHelpers.shapeThreads(null, 4, 9));
    assertEquals(1, ShapeHelpers.shapeThreads("1", 6, 1));
    assertEquals(12, ShapeHelpers.shapeThreads(" 12 ", 2, 2));
    for (String bad : new String[] {"0", "-2", "two", "1.5"}) {
      InputException e = assertThrows(InputException.class, () -> ShapeHelpers.shapeThreads(bad, 4, 1));
      assertTrue(e.getMessage().contains("DUPLEXSIM_SHAPE_THREADS") && e.getMessage().contains("'" + bad + "'"),
          e.getMessage());
    }
  }
}
