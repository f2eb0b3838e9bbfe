package io.duplexsim.units.xpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.OpResult;
import org.junit.jupiter.api.Test;

class XpuStreamTest {
  private static final MemoryConfig ONE_STACK = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
  private static final XpuConfig SLICE = XpuConfig.h100().withSms(26);

  @Test
  void aLightStreamRunsNearThePinsAndNeverAbove() {
    OpResult r = XpuStream.run(SLICE, ONE_STACK, 4 << 20, 4 << 20, 4L << 20);
    assertEquals(8L << 20, r.bytes());
    assertTrue(r.achievedGBps() <= 665.6, r.toString());
    assertTrue(r.achievedGBps() >= 0.7 * 665.6, r.toString());
    assertEquals("memory", r.bound());
  }

  @Test
  void heavyVectorWorkRunsAtTheLanesRate() {
    long flops = 1L << 34;
    OpResult r = XpuStream.run(SLICE, ONE_STACK, 1 << 20, 1 << 20, flops);
    double laneBound = flops / (256.0 * 26 * 1.83e9) * 1e9;
    assertTrue(r.timeNs() >= laneBound, r.timeNs() + " vs " + laneBound);
    assertTrue(r.timeNs() < laneBound * 1.05, r.timeNs() + " vs " + laneBound);
    assertEquals("compute", r.bound());
  }

  @Test
  void writesAloneAndReadsAloneBothFinish() {
    assertEquals(1L << 20, XpuStream.run(SLICE, ONE_STACK, 0, 1 << 20, 0).bytes());
    assertEquals(1L << 20, XpuStream.run(SLICE, ONE_STACK, 1 << 20, 0, 0).bytes());
  }
}
