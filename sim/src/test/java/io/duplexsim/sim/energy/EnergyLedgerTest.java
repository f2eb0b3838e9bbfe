package io.duplexsim.sim.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnergyLedgerTest {

  @Test
  void postsToACategoryAccumulateByIndexAndByName() {
    EnergyLedger l = new EnergyLedger();
    int act = l.category("dram.act");
    assertEquals(act, l.category("dram.act"));
    l.add(act, 1.5);
    l.add("dram.act", 2.25);
    l.add(act, 0);
    l.add("tsv", 10);
    assertEquals(3.75, l.get("dram.act"), 0);
    assertEquals(10, l.get("tsv"), 0);
    assertEquals(0, l.get("unknown"), 0);
  }

  @Test
  void negativeOrNaNEnergyIsRejectedAndLeavesTotalsUnchanged() {
    EnergyLedger l = new EnergyLedger();
    int mac = l.category("mac");
    l.add(mac, 4);
    assertThrows(IllegalArgumentException.class, () -> l.add(mac, -0.001));
    assertThrows(IllegalArgumentException.class, () -> l.add(mac, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> l.add(mac, Double.NEGATIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> l.add("mac", -1));
    assertThrows(IllegalArgumentException.class, () -> l.add("mac", Double.NaN));
    assertEquals(4, l.get("mac"), 0);
    assertEquals(4, l.totalPj(), 0);
  }

  @Test
  void byCategoryKeepsRegistrationOrderPastTheInitialCapacity() {
    EnergyLedger l = new EnergyLedger();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // deliberately not alphabetical, and more than the initial 8 slots
      String name = (char) ('z' - i) + ".cat" + (i * 7 % 20);
      names.add(name);
      assertEquals(i, l.category(name));
    }
    for (int i = 0; i < 20; i++) {
      l.add(names.get(i), i + 0.5);
    }
    Map<String, Double> by = l.byCategory();
    assertEquals(names, List.copyOf(by.keySet()));
    for (int i = 0; i < 20; i++) {
      assertEquals(i + 0.5, by.get(names.get(i)), 0);
    }
    assertThrows(UnsupportedOperationException.class, () -> by.put("x", 1.0));
  }

  @Test
  void totalIsTheSumOfTheCategories() {
    EnergyLedger l = new EnergyLedger();
    double expected = 0;
    String[] cats = {"dram.act", "dram.rd", "tsv", "mac", "sram", "noc", "io", "refresh", "leak", "pim"};
    for (int i = 0; i < 1000; i++) {
      double pj = (i % 17) * 0.25; // exactly representable: the sum is exact
      l.add(cats[i % cats.length], pj);
      expected += pj;
    }
    assertEquals(expected, l.totalPj(), 0);
    double sum = l.byCategory().values().stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(sum, l.totalPj(), 0);
    assertEquals(cats.length, l.byCategory().size());
  }

  @Test
  void emptyLedgerTotalsZero() {
    EnergyLedger l = new EnergyLedger();
    assertEquals(0, l.totalPj(), 0);
    assertEquals(Map.of(), l.byCategory());
  }
}
