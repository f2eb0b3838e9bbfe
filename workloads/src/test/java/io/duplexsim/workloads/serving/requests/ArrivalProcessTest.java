package io.duplexsim.workloads.serving.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplexsim.sim.InputException;
import org.junit.jupiter.api.Test;

class ArrivalProcessTest {
  @Test
  void textFormsParse() {
    assertEquals(new ArrivalProcess.Closed(64), ArrivalProcess.parse("closed:64", "arrival"));
    assertEquals(new ArrivalProcess.Poisson(2.5), ArrivalProcess.parse("poisson:2.5", "arrival"));
    assertEquals(new ArrivalProcess.Gamma(4, 2), ArrivalProcess.parse("Gamma:4,2", "arrival"));
  }

  @Test
  void badTextNamesTheKeyAndTheForms() {
    InputException e = assertThrows(InputException.class, () -> ArrivalProcess.parse("poisson:-1", "arrival"));
    assertEquals("arrival: 'poisson:-1' is not an arrival process (poisson rate must be a positive number of"
        + " requests/s, got -1.0); expected closed:CONCURRENCY, poisson:RATE or gamma:RATE,CV (rates in requests/s)",
        e.getMessage());
    assertThrows(InputException.class, () -> ArrivalProcess.parse("closed", "arrival"));
    assertThrows(InputException.class, () -> ArrivalProcess.parse("gamma:1", "arrival"));
  }
}
