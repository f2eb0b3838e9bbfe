package io.duplexsim.validation.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import io.duplexsim.validation.run.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SweepSpecTest {
  @TempDir
  Path dir;

  private Path write(String... lines) throws Exception {
    return Files.writeString(dir.resolve("sweep.yaml"), String.join("\n", lines) + "\n");
  }

  @Test
  void theRunsAreTheCrossProductLastFieldFastest() throws Exception {
    Path f = write("base: {system: duplex, fidelity: roofline, devices-per-node: 1}", "vary:",
        "  device.pim.macs: [256, 512, 1024]", "  device.standard: [HBM3-5.2, HBM3-6.4]", "  maxNumSeqs: [8, 16]");
    SweepSpec spec = SweepSpec.read(f);
    List<SweepPoint> points = spec.points();
    assertEquals(3 * 2 * 2, points.size());
    assertEquals(List.of("device.pim.macs", "device.standard", "max-num-seqs"),
        List.copyOf(points.get(0).params().keySet()), "camelCase keys read as the scenario's kebab-case");
    assertEquals(Map.of("device.pim.macs", "256", "device.standard", "HBM3-5.2", "max-num-seqs", "8"),
        points.get(0).params());
    assertEquals(Map.of("device.pim.macs", "256", "device.standard", "HBM3-5.2", "max-num-seqs", "16"),
        points.get(1).params());
    assertEquals(Map.of("device.pim.macs", "1024", "device.standard", "HBM3-6.4", "max-num-seqs", "16"),
        points.get(11).params());
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < points.size(); i++) {
      assertEquals(i, points.get(i).index());
      assertTrue(keys.add(points.get(i).key()), "every combination once");
    }
    Scenario s = spec.scenario(points.get(5));
    assertEquals("16", s.text("max-num-seqs"));
    assertEquals("pim.macs=512,standard=HBM3-5.2", s.text(HardwareOverrides.KEY));
    assertEquals("roofline", s.fidelity());
  }

  @Test
  void aBaseScenarioFileIsReadRelativeToTheSweep() throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("base.yaml"), "system: gpu\nrequests: 7\ndevice-overrides: stacks=6\n");
    Path f = Files.writeString(dir.resolve("sub/s.yaml"), "base: ../base.yaml\nvary:\n  device.standard: [HBM3-6.4]\n");
    SweepSpec spec = SweepSpec.read(f);
    Scenario s = spec.scenario(spec.points().get(0));
    assertEquals("gpu", s.system());
    assertEquals(7, s.requests());
    assertEquals("stacks=6,standard=HBM3-6.4", s.text(HardwareOverrides.KEY), "the base's overrides are kept");
    Path g = Files.writeString(dir.resolve("sub/t.yaml"), "base: {file: ../base.yaml, requests: 9, device.stacks: 7}\n"
        + "vary:\n  max-num-seqs: [2]\n");
    SweepSpec keys = SweepSpec.read(g);
    Scenario t = keys.scenario(keys.points().get(0));
    assertEquals("gpu", t.system(), "from the file");
    assertEquals(9, t.requests(), "the base's keys override its file");
    assertEquals("stacks=7", t.text(HardwareOverrides.KEY));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "vary: {colour: [1, 2]}|vary.colour",
      "vary: {device.pim.nonsense: [1]}|pim.nonsense",
      "vary: {max-num-seqs: []}|vary.max-num-seqs",
      "vary: {max-num-seqs: 4}|vary.max-num-seqs",
      "vary: {max-num-seqs: [4, 4]}|vary.max-num-seqs",
      "vary: {max-num-seqs: [4, 0]}|max-num-seqs",
      "vary: {system: [gpu, tpu]}|system",
      "vary: {model: [mixtral-8x7b, mixtral-9x9b]}|mixtral-9x9b",
      "vary: {device.standard: [HBM9]}|standard",
      "base: {flavour: x}\nvary: {max-num-seqs: [4]}|base.flavour",
      "vary: {}|vary",
      "extra: 1\nvary: {max-num-seqs: [4]}|extra",
      "vary: [max-num-seqs|sweep.yaml",
  })
  void badInputNamesTheFileAndTheKey(String yamlAndKey) throws Exception {
    String[] p = yamlAndKey.split("\\|");
    String key = p[1];
    Path f = write(p[0].replace("\\n", "\n"));
    InputException e = assertThrows(InputException.class, () -> SweepSpec.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
