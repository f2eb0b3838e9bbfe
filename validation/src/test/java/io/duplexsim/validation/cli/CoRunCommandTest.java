package io.duplexsim.validation.cli;

import static io.duplexsim.validation.cli.MainBadInputTest.badInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code duplexsim corun} through {@link Main#run}: small GEMMs on the Duplex device. */
class CoRunCommandTest {
  @Test
  void reportsEachUnitAloneAndTogether() throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run("corun", "--xpu-gemm", "1x512x2048", "--pim-gemm", "1x512x2048",
        "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("bundles", j.get("layout").asText());
    double xAlone = j.get("xpu_alone_us").asDouble();
    double xCo = j.get("xpu_corun_us").asDouble();
    assertTrue(xAlone > 0 && xCo > 0, r.out());
    assertEquals(xCo / xAlone, j.get("xpu_slowdown").asDouble(), 1e-12);
    assertEquals(Math.max(xCo, j.get("pim_corun_us").asDouble()), j.get("together_us").asDouble(), 0.01);
  }

  @Test
  void runsPrefillAttentionOnTheXpuBesideDecodeAttentionOnLogicPim() throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run("corun", "--xpu-attention", "1x64x64", "--pim-attention", "4x256",
        "--heads", "8", "--kv-heads", "2", "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("1x64x64", j.get("xpu_attention").asText());
    assertEquals("4x256", j.get("pim_attention").asText());
    assertTrue(j.get("xpu_alone_us").asDouble() > 0 && j.get("pim_alone_us").asDouble() > 0, r.out());
    assertEquals(Math.max(j.get("xpu_corun_us").asDouble(), j.get("pim_corun_us").asDouble()),
        j.get("together_us").asDouble(), 0.01);
  }

  @Test
  void eachUnitNeedsExactlyOneOpAndAttentionShapesAreChecked() {
    assertTrue(badInput("corun", "--pim-gemm", "8x4096x14336").contains("--xpu-gemm and --xpu-attention"));
    assertTrue(badInput("corun", "--xpu-gemm", "1x8x8", "--xpu-attention", "1x8x8", "--pim-gemm", "1x8x8")
        .contains("--xpu-gemm and --xpu-attention"));
    assertTrue(badInput("corun", "--xpu-attention", "1x64", "--pim-attention", "4x256").contains("RxQxL"));
    assertTrue(badInput("corun", "--xpu-attention", "1x128x64", "--pim-attention", "4x256").contains("Q <= L"));
    assertTrue(badInput("corun", "--xpu-gemm", "1x8x8", "--pim-attention", "4x256", "--kv-heads", "5")
        .contains("--kv-heads"));
  }

  @Test
  void aMalformedShapeOrAMissingUnitIsBadInput() {
    assertTrue(badInput("corun", "--xpu-gemm", "24x4096", "--pim-gemm", "8x4096x14336").contains("--xpu-gemm"));
    assertTrue(badInput("corun", "--device", "gpu", "--xpu-gemm", "1x8x8", "--pim-gemm", "1x8x8")
        .contains("logic-pim"));
  }
}
