package io.duplexsim.units.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemsTest {
  @Test
  void thePaperSetupsArePresets() {
    assertEquals(List.of("gpu-1x4", "duplex-1x4", "gpu-1x8", "duplex-1x8", "gpu-2x8", "duplex-2x8"), Systems.names());
    for (String name : Systems.names()) {
      SystemPreset s = Systems.load(name);
      String[] parts = name.split("-");
      assertEquals(parts[0], s.device().name());
      assertEquals(parts[1], s.nodes() + "x" + s.devicesPerNode());
      assertEquals(s.nodes() * s.devicesPerNode(), s.devices());
      assertEquals("nvlink", s.intraNode().name());
      assertEquals("infiniband", s.interNode().name());
    }
  }

  @Test
  void builtFromPartsForTheServingEngine() {
    SystemPreset s = Systems.of("bank-pim", 4, 2);
    assertEquals("bank-pim-2x4", s.name());
    assertEquals(8, s.devices());
    assertEquals(1, s.fabric().nodeOf(4));
    assertEquals(0, s.fabric().nodeOf(3));
  }

  @Test
  void badSystemsAreInputErrorsNamingTheChoices() {
    InputException e = assertThrows(InputException.class, () -> Systems.load("tpu-1x4"));
    assertTrue(e.getMessage().contains("tpu-1x4") && e.getMessage().contains("duplex-2x8"), e.getMessage());
    e = assertThrows(InputException.class, () -> Systems.of("tpu", 4, 1));
    assertTrue(e.getMessage().contains("unknown device 'tpu'") && e.getMessage().contains("duplex"), e.getMessage());
    e = assertThrows(InputException.class, () -> Systems.of("gpu", 9, 1));
    assertTrue(e.getMessage().contains("at most 8") && e.getMessage().contains("nvlink"), e.getMessage());
    e = assertThrows(InputException.class, () -> Systems.of("gpu", 0, 1));
    assertTrue(e.getMessage().contains("devices per node"), e.getMessage());
    e = assertThrows(InputException.class, () -> Systems.of("gpu", 8, 0));
    assertTrue(e.getMessage().contains("nodes"), e.getMessage());
  }
}
