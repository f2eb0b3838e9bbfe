package io.duplexsim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InstructionTest {
  private static final IntSeq NONE = IntSeq.empty();

  @Test
  void gemmFlopsAndBytesByFormat() {
    Gemm g = new Gemm(0, Unit.XPU, NONE, 16, 4096, 4096, TensorFormat.INT4_G128_FP16,
        TensorFormat.BF16, null, null, null);
    assertEquals(2L * 16 * 4096 * 4096, g.flops());
    long weights = (long) (4096L * 4096 * 0.515625);
    assertEquals(weights, g.weightBytes());
    assertEquals(weights + 2L * 16 * 4096 + 2L * 16 * 4096, g.bytes());
    assertFalse(g.isGemv());
    assertTrue(new Gemm(1, Unit.LOGIC_PIM, NONE, 1, 8, 8, TensorFormat.BF16, TensorFormat.BF16,
        null, null, null).isGemv());
  }

  @Test
  void gemmRejectsNonPositiveDims() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Gemm(0, Unit.XPU, NONE, 4, -3, 4, TensorFormat.BF16, TensorFormat.BF16, null,
            null, null));
    assertEquals("field 'k' expected a positive integer, got -3", e.getMessage());
  }

  @Test
  void decodeAttentionOpsPerByteIsTheGqaGroup() {
    // one query token per request, kv 1024, 32 heads over 8 KV heads (group 4), bf16
    Attention a = new Attention(0, Unit.LOGIC_PIM, NONE, IntSeq.of(1, 1), IntSeq.of(1024, 1024),
        32, 8, 128, true, AttentionPhase.DECODE, TensorFormat.BF16, null);
    assertEquals(4, a.groupSize());
    assertEquals(2048, a.pairs());
    assertEquals(4L * 32 * 128 * 2048, a.flops());
    assertEquals(2L * 2 * 8 * 128 * 2048, a.kvBytes());
    assertEquals(a.kvBytes() + 2L * 2 * 32 * 128 * 2, a.bytes());
    assertEquals(4.0, (double) a.flops() / a.kvBytes(), 1e-12);
  }

  @Test
  void causalPrefillCountsTheTriangle() {
    Attention a = new Attention(0, Unit.XPU, NONE, IntSeq.of(4), IntSeq.of(10), 2, 1, 8, true,
        AttentionPhase.PREFILL, TensorFormat.BF16, null);
    assertEquals(4 * 6 + 10, a.pairs());
    Attention full = new Attention(0, Unit.XPU, NONE, IntSeq.of(4), IntSeq.of(10), 2, 1, 8, false,
        AttentionPhase.PREFILL, TensorFormat.BF16, null);
    assertEquals(40, full.pairs());
  }

  @Test
  void attentionValidatesShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Attention(0, Unit.XPU, NONE, IntSeq.of(1), IntSeq.of(8), 32, 6, 128, false,
            AttentionPhase.DECODE, TensorFormat.BF16, null));
    assertTrue(e.getMessage().startsWith("field 'kvHeads'"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Attention(0, Unit.XPU, NONE, IntSeq.of(1, 2), IntSeq.of(8), 4, 1, 128, false,
            AttentionPhase.DECODE, TensorFormat.BF16, null));
    assertThrows(IllegalArgumentException.class,
        () -> new Attention(0, Unit.XPU, NONE, IntSeq.of(9), IntSeq.of(8), 4, 1, 128, true,
            AttentionPhase.PREFILL, TensorFormat.BF16, null));
  }

  @Test
  void collectiveBytesPerDevice() {
    Collective ar = new Collective(0, Unit.LINK, NONE, CollectiveKind.ALL_REDUCE, 1000,
        IntSeq.of(0, 1, 2, 3));
    assertEquals(1500, ar.bytes());
    Collective a2a = new Collective(0, Unit.LINK, NONE, CollectiveKind.ALL_TO_ALL, 1000,
        IntSeq.of(0, 1, 2, 3));
    assertEquals(750, a2a.bytes());
    assertThrows(IllegalArgumentException.class, () -> new Collective(0, Unit.XPU, NONE,
        CollectiveKind.SEND, 10, IntSeq.of(0, 1)));
    assertThrows(IllegalArgumentException.class, () -> new Collective(0, Unit.LINK, NONE,
        CollectiveKind.SEND, 10, IntSeq.of(0, 1, 2)));
  }

  @Test
  void smallKernelsCountElements() {
    assertEquals(4L * 8 * 4096, new Norm(0, Unit.XPU, NONE, NormKind.RMSNORM, 8, 4096,
        TensorFormat.BF16).flops());
    assertEquals(2L * (2 * 8 * 4096 + 4096), new Norm(0, Unit.XPU, NONE, NormKind.RMSNORM, 8, 4096,
        TensorFormat.BF16).bytes());
    assertEquals(3L * 100 * 2, new Activation(0, Unit.XPU, NONE, ActivationKind.SWIGLU, 100,
        TensorFormat.BF16).bytes());
    assertEquals(3L * 100, new Elementwise(0, Unit.XPU, NONE, ElementwiseOp.ADD, 100,
        TensorFormat.FP8).bytes());
    assertEquals(0, new Barrier(3, Unit.XPU, IntSeq.of(1, 2)).bytes());
  }

  @Test
  void placementValidates() {
    assertThrows(IllegalArgumentException.class, () -> new Placement(0, 0, 0, 32, -1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Placement(0, 1, 0, 32, -2, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Placement(0, 1, 0, 32, 0, -1, 1));
    Placement p = Placement.interleaved(4, 32, 0, 1 << 20);
    assertThrows(IllegalArgumentException.class,
        () -> new Load(0, Unit.XPU, NONE, (1 << 20) + 1, p));
  }

  @Test
  void depsMustBeDistinctAndNotSelf() {
    assertThrows(IllegalArgumentException.class, () -> new Barrier(3, Unit.XPU, IntSeq.of(3)));
    assertThrows(IllegalArgumentException.class, () -> new Barrier(3, Unit.XPU, IntSeq.of(1, 1)));
  }

  @Test
  void traceRequiresEarlierDepsAndUniqueIds() {
    Barrier a = new Barrier(1, Unit.XPU, NONE);
    Barrier b = new Barrier(2, Unit.XPU, IntSeq.of(1));
    new InstructionTrace(TraceHeader.of("d"), List.of(a, b));
    assertThrows(IllegalArgumentException.class,
        () -> new InstructionTrace(TraceHeader.of("d"), List.of(b, a)));
    assertThrows(IllegalArgumentException.class,
        () -> new InstructionTrace(TraceHeader.of("d"), List.of(a, a)));
  }

  @Test
  void intSeqHasValueEquality() {
    int[] raw = {1, 2, 3};
    IntSeq s = IntSeq.of(raw);
    raw[0] = 9;
    assertEquals(IntSeq.of(1, 2, 3), s);
    assertEquals(IntSeq.of(1, 2, 3).hashCode(), s.hashCode());
    assertNotEquals(IntSeq.of(1, 2), s);
    assertEquals(new Barrier(1, Unit.XPU, IntSeq.of(0)), new Barrier(1, Unit.XPU, IntSeq.of(0)));
  }
}
