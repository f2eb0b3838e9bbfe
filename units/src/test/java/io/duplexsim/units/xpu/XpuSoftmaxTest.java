package io.duplexsim.units.xpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Softmax;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.OpResult;
import org.junit.jupiter.api.Test;

class XpuSoftmaxTest {
  private static final MemoryConfig ONE_STACK = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
  private static final XpuConfig SLICE = XpuConfig.h100().withSms(26);

  @Test
  void aStandaloneSoftmaxMovesEveryElementInAndOutOnceAndIsMemoryBound() {
    Softmax op = new Softmax(0, Unit.XPU, IntSeq.empty(), 256, 4096, TensorFormat.BF16);
    OpResult r = XpuSoftmax.run(SLICE, ONE_STACK, op);
    assertEquals(op.bytes(), r.bytes());
    assertEquals(op.flops(), r.flops());
    assertEquals("memory", r.bound());
    assertTrue(r.achievedGBps() <= 665.6 && r.achievedGBps() > 0.6 * 665.6, r.toString());
    // 32 elements per SM cycle would take 1/8 of the memory time here.
    assertTrue(r.busyFraction() < 0.25, r.toString());
  }

  @Test
  void fewerSmsSlowOnlyTheVectorWork() {
    Softmax op = new Softmax(0, Unit.XPU, IntSeq.empty(), 64, 4096, TensorFormat.BF16);
    OpResult one = XpuSoftmax.run(XpuConfig.h100().withSms(1), ONE_STACK, op);
    OpResult many = XpuSoftmax.run(SLICE, ONE_STACK, op);
    assertEquals(op.bytes(), one.bytes());
    // One SM computes 64 x 4096 / 32 = 8192 cycles at least.
    assertTrue(one.unitCycles() >= 8192, one.toString());
    assertTrue(one.timeNs() > many.timeNs());
  }
}
