package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code run --device-overrides}: hardware parameters of one run, on a two-layer MoE model at roofline. */
class RunDeviceOverridesTest {
  private static String[] args(String... extra) throws Exception {
    Path model = Path.of(RunDeviceOverridesTest.class.getResource("/io/duplexsim/validation/run/mini-moe.json").toURI());
    List<String> a = new ArrayList<>(List.of("run", "--system", "duplex", "--model", model.toString(),
        "--devices-per-node", "1", "--requests", "6", "--max-num-seqs", "4", "--input-len", "32", "--output-len", "24",
        "--fidelity", "roofline", "--json"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  private static double simTime(String... extra) throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run(args(extra));
    assertEquals(0, r.status(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    return j.get("sim_time_s").asDouble();
  }

  @Test
  void fewerLogicPimMacsOrANarrowerPimTsvSlowTheRunAndTheBundledValuesChangeNothing() throws Exception {
    double base = simTime();
    assertEquals(base, simTime("--device-overrides", "pim.macs=512,tsvPimWidth=4,standard=HBM3-5.2"),
        "the bundled values themselves");
    assertTrue(simTime("--device-overrides", "pim.macs=16") > base);
    assertTrue(simTime("--device-overrides", "tsvPimWidth=1") > base);
  }

  @Test
  void anUnknownParameterIsBadInputNamingIt() throws Exception {
    String msg = MainBadInputTest.badInput(args("--device-overrides", "pim.frobs=1"));
    assertTrue(msg.contains("pim.frobs"), msg);
    msg = MainBadInputTest.badInput(args("--device-overrides", "pim.macs"));
    assertTrue(msg.contains("device-overrides"), msg);
  }
}
