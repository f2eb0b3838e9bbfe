package io.duplexsim.validation.roofline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RooflineSweepTest {
  private static final double[] OPB = {0.5, 1, 8, 64};

  @Test
  void everyUnitStaysUnderItsRoofAndTheFilesAreWritten(@TempDir Path dir) throws Exception {
    DevicePreset duplex = Devices.load("duplex");
    MemoryConfig oneStack = MemoryConfig.builder(duplex.standard()).stacks(1).build();
    List<RooflinePoint> points = RooflineSweep.run(duplex, oneStack, 512, 1024, OPB, p -> {});
    assertEquals(duplex.units().size() * OPB.length, points.size());
    for (RooflinePoint p : points) {
      assertTrue(p.result().achievedTflops() <= p.roofTflops() * 1.0001, p.toString());
      assertTrue(p.result().achievedTflops() > 0, p.toString());
    }
    // Op/B 0.5 is FP32 weights, m = 1; the rest BF16 with m = Op/B.
    assertEquals("fp32", points.get(0).dtype());
    assertEquals(8, points.get(2).m());
    RooflineReport.write(dir, "test", points);
    List<String> csv = Files.readAllLines(dir.resolve("roofline.csv"));
    assertEquals(points.size() + 1, csv.size());
    assertTrue(csv.get(0).startsWith("unit,dtype,m,k,n,op_per_byte"));
    byte[] png = Files.readAllBytes(dir.resolve("roofline.png"));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    assertTrue(Files.notExists(dir.resolve("roofline.csv.tmp")));
  }
}
