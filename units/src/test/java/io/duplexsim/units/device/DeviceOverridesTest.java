package io.duplexsim.units.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceOverridesTest {
  private static Map<String, String> of(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void noOverridesIsTheBundledPreset() {
    assertEquals(Devices.load("duplex"), Devices.load("duplex", Map.of()));
    assertEquals(4.0, Devices.load("duplex").memoryConfig().tsvPimWidth());
    assertEquals(1.0, Devices.load("duplex").memoryConfig().tsvXpuWidth());
  }

  @Test
  void shortAndFullPathsChangeTheSameParameter() {
    DevicePreset shortForm = Devices.load("duplex", of("pim.macs", "1024", "standard", "HBM3-6.4", "stacks", "6"));
    DevicePreset full = Devices.load("duplex", of("units.logic-pim.macsPerCycle", "1024", "memory.standard",
        "HBM3-6.4", "memory.stacks", "6"));
    assertEquals(1024, shortForm.nearMemoryUnits().get("logic-pim").macsPerCycle());
    assertEquals("HBM3-6.4", shortForm.standard());
    assertEquals(6, shortForm.stacks());
    assertEquals(full.nearMemoryUnits(), shortForm.nearMemoryUnits());
    assertEquals(full.memoryConfig(), shortForm.memoryConfig());
    assertTrue(shortForm.name().startsWith("duplex["), shortForm.name());
    assertEquals(512, Devices.load("duplex").nearMemoryUnits().get("logic-pim").macsPerCycle(), "the bundle is untouched");
  }

  @Test
  void tsvWidthsAndTimingsReachTheMemoryConfig() {
    DevicePreset d = Devices.load("duplex", of("tsvPimWidth", "2", "tsvXpuWidth", "0.5", "timing.nCCDAB", "6"));
    assertEquals(2.0, d.memoryConfig().tsvPimWidth());
    assertEquals(0.5, d.memoryConfig().tsvXpuWidth());
    assertEquals(6, d.memoryConfig().timingOverrides().get("nCCDAB").intValue());
  }

  @Test
  void anXpuGeometryChangeMovesItsPeak() {
    DevicePreset d = Devices.load("gpu", of("xpu.sms", "66"));
    assertEquals(989.4 / 2, d.xpu().peakTflops(false), 0.1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pim.nonsense=1", "units.tpu.sms=1", "memory.colour=red", "xpu.tile=1", "pim.macs=-4",
      "standard=HBM9", "timing.nFOO=3", "pim.macs=many", ".stacks=2"})
  void aBadOverrideIsAnInputErrorNamingIt(String kv) {
    String[] p = kv.split("=");
    InputException e = assertThrows(InputException.class, () -> Devices.load("duplex", of(p[0], p[1])));
    assertTrue(e.getMessage().contains(p[0]), e.getMessage());
  }

  @Test
  void aGpuHasNoPimToOverride() {
    InputException e = assertThrows(InputException.class, () -> Devices.load("gpu", of("pim.macs", "1024")));
    assertTrue(e.getMessage().contains("no PIM unit"), e.getMessage());
  }
}
