package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.device.Devices;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import org.junit.jupiter.api.Test;

class KvCapacityTest {
  private static final double GIB = 1L << 30;

  @Test
  void anH100ClassDeviceHoldsEightyGigabytes() {
    // devices.yaml: 5 HBM3 stacks of 16 GiB
    assertEquals(80 * GIB, KvCapacity.deviceMemoryBytes(Devices.load("duplex")));
  }

  @Test
  void llama3_8bOnOneDeviceLeavesWhatTheWeightsDoNotTake() {
    ModelSpec m = Models.load("llama-3-8b");
    KvCapacity c = KvCapacity.forModel(m, WeightFormat.BF16, TensorFormat.BF16, 80 * GIB, 1, 2 * GIB,
        ServingOptions.DEFAULTS);
    // models.md: 128 KiB of BF16 KV per token (32 layers x 8 KV heads x 128 x 2 x 2 B)
    assertEquals(131072, m.kvBytesPerToken(TensorFormat.BF16));
    double free = 80 * GIB * 0.9 - m.totalWeightBytes(WeightFormat.BF16) - 2 * GIB;
    assertEquals((long) (free / (131072 * 16)), c.blocks());
    assertEquals(131072 * 16, c.bytesPerBlockPerDevice());
    assertTrue(c.tokens() > 400_000 && c.tokens() < 500_000, c.tokens() + " tokens");
  }

  @Test
  void tensorParallelismSplitsKvByHeadAndReplicatesHeadsBeyondTheirCount() {
    ModelSpec m = Models.load("llama-3-8b"); // 8 KV heads
    KvCapacity tp8 = KvCapacity.forModel(m, WeightFormat.BF16, TensorFormat.BF16, 80 * GIB, 8, 0,
        ServingOptions.DEFAULTS);
    KvCapacity tp16 = KvCapacity.forModel(m, WeightFormat.BF16, TensorFormat.BF16, 80 * GIB, 16, 0,
        ServingOptions.DEFAULTS);
    assertEquals(131072 * 16 / 8.0, tp8.bytesPerBlockPerDevice());
    assertEquals(tp8.bytesPerBlockPerDevice(), tp16.bytesPerBlockPerDevice(), "one head per device either way");
    InputException e = assertThrows(InputException.class, () -> KvCapacity.forModel(m, WeightFormat.BF16,
        TensorFormat.BF16, 80 * GIB, 3, 0, ServingOptions.DEFAULTS));
    assertEquals("tensor parallelism of 3 devices does not divide and is not a multiple of llama-3-8b's 8 KV heads",
        e.getMessage());
  }

  @Test
  void aModelWhoseWeightsFillTheDeviceIsAnErrorWithTheNumbers() {
    ModelSpec m = Models.load("llama-3-70b");
    InputException e = assertThrows(InputException.class, () -> KvCapacity.forModel(m, WeightFormat.BF16,
        TensorFormat.BF16, 80 * GIB, 1, 0, ServingOptions.DEFAULTS));
    assertTrue(e.getMessage().startsWith("llama-3-70b does not fit: per device 77.31 GB usable (85.90 GB x"
        + " gpu-memory-utilization 0.9) - 141."), e.getMessage());
  }
}
