package io.duplexsim.units.nearmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Softmax;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.OpResult;
import org.junit.jupiter.api.Test;

/** Standalone softmax on the per-stack softmax units: rows on one stack queue, stacks run in parallel. */
class NearMemorySoftmaxTest {
  private static OpResult run(int stacks, int rows, int cols) {
    return NearMemorySoftmax.run(NearMemoryConfig.logicPim(), MemoryConfig.builder("HBM3-5.2").stacks(stacks).build(),
        new Softmax(0, Unit.LOGIC_PIM, IntSeq.empty(), rows, cols, TensorFormat.BF16));
  }

  @Test
  void rowsOnOneStackQueueOnItsUnit() {
    int perRow = (4096 + 127) / 128; // cycles of one row at the assumed 128 elements per cycle
    assertEquals(perRow, run(1, 1, 4096).unitCycles());
    assertEquals(3L * perRow, run(1, 3, 4096).unitCycles());
  }

  @Test
  void stacksShareTheRowsAndRunInParallel() {
    OpResult five = run(5, 5, 4096);
    assertEquals(run(1, 1, 4096).unitCycles(), five.unitCycles());
    assertEquals(1.0, five.busyFraction(), 1e-12);
    // Two rows on the first stack, one on the others.
    OpResult six = run(5, 6, 4096);
    assertEquals(2 * five.unitCycles(), six.unitCycles());
    assertEquals(SoftmaxUnitConfig.energyPj(6L * 4096), six.energyPj(), 1e-6);
    assertEquals(5L * 6 * 4096, six.flops());
  }
}
