package io.duplexsim.units.interconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinksTest {
  @Test
  void presetsCarryTheHardwareReferenceNumbers() {
    assertEquals(List.of("nvlink", "infiniband"), Links.names());
    LinkSpec nv = Links.load("nvlink");
    assertEquals(450.0, nv.bandwidthGBps());
    assertEquals(450_000_000_000L, nv.bytesPerSecond());
    assertEquals(800.0, nv.latencyNs());
    assertEquals(1.3, nv.pjPerBit());
    assertEquals(8, nv.maxDevices());
    LinkSpec ib = Links.load("infiniband");
    assertEquals(50.0, ib.bandwidthGBps());
    assertEquals(130.0, ib.latencyNs());
    assertTrue(ib.pjPerBit() > 0);
    assertFalse(ib.source().isBlank());
  }

  @Test
  void overridesReplaceOneKeyEach() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("pjPerBit", "10");
    o.put("latencyNs", "500");
    LinkSpec ib = Links.load("infiniband", o);
    assertEquals(10.0, ib.pjPerBit());
    assertEquals(500.0, ib.latencyNs());
    assertEquals(50.0, ib.bandwidthGBps());
  }

  @Test
  void badNamesKeysAndValuesAreInputErrors() {
    InputException e = assertThrows(InputException.class, () -> Links.load("ethernet"));
    assertTrue(e.getMessage().contains("ethernet") && e.getMessage().contains("nvlink"), e.getMessage());
    e = assertThrows(InputException.class, () -> Links.load("nvlink").with("speed", "3"));
    assertTrue(e.getMessage().contains("speed") && e.getMessage().contains("bandwidthGBps"), e.getMessage());
    e = assertThrows(InputException.class, () -> Links.load("nvlink").with("bandwidthGBps", "0"));
    assertTrue(e.getMessage().contains("bandwidthGBps"), e.getMessage());
    e = assertThrows(InputException.class, () -> Links.load("nvlink").with("latencyNs", "fast"));
    assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
    assertThrows(InputException.class, () -> Links.load("nvlink").with("pjPerBit", "-1"));
  }
}
