package io.duplexsim.workloads.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import io.duplexsim.workloads.model.ParamGroup;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.ServingOptions;
import org.junit.jupiter.api.Test;

class WeightsPerDeviceTest {
  private static final ModelSpec MIXTRAL = Models.load("mixtral-8x7b");

  @Test
  void oneNodeSplitsTheWholeModelEvenly() {
    ParallelPlan plan = ParallelPlan.of(MIXTRAL, Systems.of("gpu", 4, 1), Strategy.parse("gpu"));
    double total = MIXTRAL.totalWeightBytes(WeightFormat.BF16);
    // Norms and the router are replicated, a few MB against 93 GB.
    assertEquals(total / 4, plan.weightBytesPerDevice(MIXTRAL, WeightFormat.BF16), total / 4 * 0.01);
  }

  @Test
  void nodesHoldReplicasOfTheTensorParallelPart() {
    ParallelPlan plan = ParallelPlan.of(MIXTRAL, Systems.of("gpu", 4, 2), Strategy.parse("gpu"));
    double total = MIXTRAL.totalWeightBytes(WeightFormat.BF16);
    double perDevice = plan.weightBytesPerDevice(MIXTRAL, WeightFormat.BF16);
    // Experts spread over all 8 devices, attention and embeddings over each node's 4: each device holds
    // an eighth of the model plus an extra eighth of the non-expert part (3.2 GB for Mixtral).
    double nonExpert = total - MIXTRAL.weightBytes(ParamGroup.ROUTED_EXPERTS,
        WeightFormat.BF16);
    assertEquals(total / 8 + nonExpert / 8, perDevice, nonExpert * 0.01);
  }

  @Test
  void eachNodeAddsItsOwnKvBlocks() {
    ServingOptions o = ServingOptions.DEFAULTS;
    KvCapacity one = KvCapacity.forDevices(MIXTRAL, TensorFormat.BF16, 80e9, 25e9, 2, 4, 1, 2e9, o);
    KvCapacity two = KvCapacity.forDevices(MIXTRAL, TensorFormat.BF16, 80e9, 25e9, 2, 4, 2, 2e9, o);
    assertEquals(2 * one.blocks(), two.blocks());
    // 2 of 8 KV heads per device: a quarter of a token's KV bytes, times the block size.
    assertEquals(MIXTRAL.kvBytesPerToken(TensorFormat.BF16) / 4 * 16, one.bytesPerBlockPerDevice(), 1e-6);
  }
}
