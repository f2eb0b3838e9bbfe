package io.duplexsim.workloads.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import org.junit.jupiter.api.Test;

class RecursiveSpecTest {
  private static final ModelSpec GEMMA = Models.preset("gemma-2b");

  @Test
  void loopsThatDoNotDivideTheLayersAreRejectedNamingTheKey() {
    InputException e = assertThrows(InputException.class, () -> new RecursiveSpec(4, 0).requireFits(GEMMA));
    assertTrue(e.getMessage().startsWith("recursive-loops (4) must divide the 18 layers"), e.getMessage());
    assertThrows(InputException.class, () -> new RecursiveSpec(2, 0).requireFits(Models.preset("mixtral-8x7b")));
    assertThrows(InputException.class, () -> new RecursiveSpec(0, 0));
    assertThrows(InputException.class, () -> new RecursiveSpec(2, -1));
  }

  @Test
  void gemmaBecomesNineSharedLayersLoopedTwiceStoringOnlyThoseNine() {
    RecursiveSpec spec = new RecursiveSpec(2, 0);
    assertEquals(9, spec.sharedLayers(GEMMA));
    double perLayer = GEMMA.layerWeightBytes(0, ParamGroup.ATTENTION, WeightFormat.BF16)
        + GEMMA.layerWeightBytes(0, ParamGroup.DENSE_FFN, WeightFormat.BF16)
        + GEMMA.layerWeightBytes(0, ParamGroup.NORM, WeightFormat.BF16);
    assertEquals(GEMMA.totalWeightBytes(WeightFormat.BF16) - 9 * perLayer,
        spec.totalWeightBytes(GEMMA, WeightFormat.BF16), 1.0);
    assertEquals(GEMMA.kvBytesPerToken(io.duplexsim.isa.TensorFormat.BF16) / 18, GEMMA.kvBytesPerTokenPerLayer(
        io.duplexsim.isa.TensorFormat.BF16), 1e-9, "KV stays per (layer, loop): the full model's figure");
  }

  @Test
  void adaptersCostTwoRankTimesInPlusOutPerAdaptedMatrixPerToken() {
    RecursiveSpec spec = new RecursiveSpec(2, 64);
    long d = 2048;
    long q = 8 * 256;
    long kv = 256;
    long f = 16384;
    long inOut = (d + q) + 2 * (d + kv) + (q + d) + 3 * (d + f); // Q, K, V, O, gate, up, down
    assertEquals(2.0 * 64 * inOut * 18, spec.loraFlopsPerToken(GEMMA));
    assertEquals(64.0 * inOut * 18 * 2, spec.adapterBytes(GEMMA), "one BF16 adapter set per (layer, loop)");
    assertEquals(0.0, new RecursiveSpec(2, 0).adapterBytes(GEMMA));
  }
}
