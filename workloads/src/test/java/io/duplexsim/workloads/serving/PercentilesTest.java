package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearestRankOnAHandMadeSample() {
    DoubleArrayList s = new DoubleArrayList();
    for (int v = 10; v >= 1; v--) { // unsorted on purpose
      s.add(v);
    }
    Percentiles p = new Percentiles(s);
    assertEquals(5, p.at(0.5));
    assertEquals(9, p.at(0.9));
    assertEquals(10, p.at(0.99));
    assertEquals(1, p.at(0));
    assertEquals(5.5, p.mean());
    assertEquals(10, p.max());
    assertEquals(0, new Percentiles(new DoubleArrayList()).at(0.99));
  }
}
