package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RooflineCommandTest {
  @Test
  void unknownDeviceIsAnInputError() {
    String err = MainBadInputTest.badInput("roofline", "--device", "tpu", "--out", "x");
    assertTrue(err.contains("unknown device 'tpu'"), err);
  }

  @Test
  void anOutPathThatIsAFileIsAnInputError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    String err = MainBadInputTest.badInput("roofline", "--device", "duplex", "--out", file.toString());
    assertTrue(err.contains("is not a folder"), err);
  }

  @Test
  void nonPositiveShapeIsAnInputError() {
    String err = MainBadInputTest.badInput("roofline", "--device", "duplex", "--out", "x", "--k", "0");
    assertTrue(err.contains("--k and --n must be positive"), err);
  }
}
