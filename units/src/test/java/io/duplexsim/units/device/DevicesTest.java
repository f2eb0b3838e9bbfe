package io.duplexsim.units.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.standard.Standards;
import io.duplexsim.sim.InputException;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import io.duplexsim.units.xpu.XpuConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {
  @Test
  void everyPresetLoads() {
    assertEquals(List.of("gpu", "duplex", "bank-pim", "bank-pim-power-limited", "bankgroup-pim", "logic-pim-only"), Devices.names());
    for (String name : Devices.names()) {
      DevicePreset d = Devices.load(name);
      assertEquals(name, d.name());
      assertTrue(Standards.names().contains(d.standard()), d.standard());
      assertEquals(5, d.stacks());
      assertFalse(d.units().isEmpty());
      assertFalse(d.source().isBlank());
      assertEquals(d.hasUnit("xpu"), d.xpuConfig().isPresent(), name);
      d.xpuConfig().ifPresent(x -> {
        assertEquals(989.4, x.peakTflops(false), 0.05);
        assertEquals(XpuConfig.h100(), x, name + ": the bundled xpu is the H100 preset");
        assertEquals(132, x.sms());
      });
    }
  }

  @Test
  void unitsPerPreset() {
    assertEquals(List.of("xpu"), Devices.load("gpu").units());
    assertEquals(List.of("xpu", "logic-pim"), Devices.load("duplex").units());
    assertEquals(List.of("xpu", "bank-pim"), Devices.load("bank-pim").units());
    assertEquals(List.of("xpu", "bankgroup-pim"), Devices.load("bankgroup-pim").units());
    assertEquals(List.of("logic-pim"), Devices.load("logic-pim-only").units());
  }

  @Test
  void unknownNameListsTheChoices() {
    InputException e = assertThrows(InputException.class, () -> Devices.load("tpu"));
    assertTrue(e.getMessage().startsWith("unknown device 'tpu'; expected one of [gpu, duplex"), e.getMessage());
  }

  @Test
  void nearMemoryConfigsMatchTheUnitPresets() {
    assertEquals(NearMemoryConfig.logicPim(), Devices.load("duplex").nearMemory("logic-pim").orElseThrow());
    assertEquals(NearMemoryConfig.logicPim(), Devices.load("logic-pim-only").nearMemory("logic-pim").orElseThrow());
    assertEquals(NearMemoryConfig.bankPim(), Devices.load("bank-pim").nearMemory("bank-pim").orElseThrow());
    assertTrue(Devices.load("gpu").nearMemory("logic-pim").isEmpty());
    assertTrue(Devices.load("duplex").nearMemory("bank-pim").isEmpty());
    assertEquals(NearMemoryConfig.bankgroupPim(), Devices.load("bankgroup-pim").nearMemory("bankgroup-pim").orElseThrow());
  }

  @Test
  void devicesWithAnXpuHashTheirBanks() {
    assertEquals("RoRaBaCoBgCh-xor", Devices.load("gpu").memoryConfig().mapping());
    assertEquals("RoRaBaCoBgCh", Devices.load("logic-pim-only").memoryConfig().mapping());
    assertEquals(5, Devices.load("duplex").memoryConfig().stacks());
  }

  @Test
  void thePowerLimitedBankPimStreamsSlower() {
    var plain = Devices.load("bank-pim");
    var limited = Devices.load("bank-pim-power-limited");
    assertEquals(6, limited.memoryConfig().timingOverrides().get("nCCDAB").intValue());
    double fast = NearMemoryGemm.run(plain.nearMemory("bank-pim").orElseThrow(),
        plain.memoryConfig(), 1, 2048, 4096, TensorFormat.BF16).timeNs();
    double slow = NearMemoryGemm.run(limited.nearMemory("bank-pim").orElseThrow(),
        limited.memoryConfig(), 1, 2048, 4096, TensorFormat.BF16).timeNs();
    assertTrue(slow > 1.2 * fast && slow < 1.6 * fast, slow + " vs " + fast);
  }
}
