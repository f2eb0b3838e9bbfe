package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RunDisaggregationFlagsTest {
  private static final String[] BASE = {"run", "--system", "gpu", "--model", "tinyllama-1.1b", "--devices-per-node",
      "2", "--requests", "4", "--input-len", "32", "--output-len", "4", "--max-num-seqs", "2", "--fidelity",
      "roofline"};

  private static String[] with(String... more) {
    String[] a = java.util.Arrays.copyOf(BASE, BASE.length + more.length);
    System.arraycopy(more, 0, a, BASE.length, more.length);
    return a;
  }

  @Test
  void theFlagsTurnDisaggregationOnAndPrintItsMetrics() throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run(with("--disaggregation", "--json"));
    assertEquals(0, r.status(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(16, j.get("generated_tokens").asInt());
    assertTrue(j.get("kv_transfer_bytes").asLong() > 0, r.out());
    assertEquals(1, j.get("prefill_devices").asInt());
  }

  @Test
  void aZeroSplitExitsTwoNamingTheKey() {
    assertTrue(MainBadInputTest.badInput(with("--disaggregation", "--decode-devices", "0")).contains("decode-devices"));
    assertTrue(MainBadInputTest.badInput(with("--disaggregation", "maybe")).contains("disaggregation"));
  }
}
