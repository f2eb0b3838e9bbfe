package io.duplexsim.memory.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Standards;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The four-activation window: a fifth ACT waits for tFAW after the first of the last four. */
class FawWindowTest {
  static java.util.List<String> standards() {
    return Standards.names();
  }

  @ParameterizedTest
  @MethodSource("standards")
  void fifthActivationWaitsForTheWindow(String name) {
    DramStandard std = Standards.load(name);
    Organization org = std.org();
    TimingEngine e = new TimingEngine(std);
    int act = std.commandId("ACT");
    int rrd = Math.max(std.timing("nRRDS"), 2); // the two-cycle ACT occupies the row bus
    int nRRDL = std.timing("nRRDL");
    int nFAW = std.timing("nFAW");
    long[] t = new long[4];
    // Four activations to different bank groups, as fast as tRRD_S allows.
    for (int i = 0; i < 4; i++) {
      int bank = org.flatBank(0, i, 0);
      t[i] = e.earliest(act, bank);
      assertEquals(i * (long) rrd, t[i], "activation " + i);
      e.issue(act, bank, 1, t[i]);
    }
    int fifth = org.flatBank(0, 0, 1);
    long t5 = Math.max(t[3] + rrd, Math.max(t[0] + nRRDL, t[0] + nFAW));
    assertEquals(t5, e.earliest(act, fifth), "fifth activation waits for the first + tFAW");
    e.issue(act, fifth, 1, t5);
    // The window slides: the sixth waits for the second activation + tFAW.
    int sixth = org.flatBank(0, 1, 1);
    assertEquals(Math.max(t5 + rrd, Math.max(t[1] + nRRDL, t[1] + nFAW)), e.earliest(act, sixth));
  }
}
