package io.duplexsim.workloads.serving.speculative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.ServingOptions;
import org.junit.jupiter.api.Test;

class DraftCapacityTest {
  private static final double GB = 1e9;
  private final ModelSpec target = Models.preset("llama-3-8b");
  private final ModelSpec draft = Models.preset("llama-3.2-1b");

  @Test
  void theDraftsWeightsAndKvShrinkTheCapacity() {
    ServingOptions o = ServingOptions.DEFAULTS;
    double memory = 80 * GB;
    double tw = target.totalWeightBytes(WeightFormat.BF16);
    double dw = draft.totalWeightBytes(WeightFormat.BF16);
    KvCapacity alone = KvCapacity.forDevices(target, TensorFormat.BF16, memory, tw, 8, 1, 1, 2 * GB, o);
    KvCapacity both = DraftCapacity.forDevices(target, draft, TensorFormat.BF16, memory, tw, dw, 8, 8, 1, 1, 2 * GB, o);
    double perToken = target.kvBytesPerToken(TensorFormat.BF16) + draft.kvBytesPerToken(TensorFormat.BF16);
    assertEquals((long) Math.floor((memory * 0.9 - tw - dw - 2 * GB) / (perToken * 16)), both.blocks());
    assertEquals(perToken * 16, both.bytesPerBlockPerDevice());
    assertTrue(both.blocks() < alone.blocks());
  }

  @Test
  void aDraftThatDoesNotFitNamesTheKey() {
    ModelSpec big = Models.preset("llama-3-70b");
    InputException e = assertThrows(InputException.class, () -> DraftCapacity.forDevices(target, big, TensorFormat.BF16,
        80 * GB, target.totalWeightBytes(WeightFormat.BF16), big.totalWeightBytes(WeightFormat.BF16), 8, 8, 1, 1,
        2 * GB, ServingOptions.DEFAULTS));
    assertTrue(e.getMessage().startsWith("speculative-model: draft model llama-3-70b does not fit beside llama-3-8b"),
        e.getMessage());
  }
}
