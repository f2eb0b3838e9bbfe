package io.duplexsim.workloads.compiler;

import static io.duplexsim.workloads.compiler.TraceBuilder.NONE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A segment's inputs: distinct trace ids in first-seen order, and each one's local id. */
class SegmentInputsTest {
  @Test
  void inputsAreTheDistinctIdsInOrderWithoutNone() {
    assertArrayEquals(new int[] {7, 3, 9}, SegmentInputs.of(7, NONE, 3, 7, 9, 3));
    assertArrayEquals(new int[0], SegmentInputs.of(NONE, NONE));
  }

  @Test
  void anInputsLocalIdIsItsPosition() {
    int[] inputs = SegmentInputs.of(7, 3, 9);
    assertEquals(0, SegmentInputs.local(inputs, 7));
    assertEquals(2, SegmentInputs.local(inputs, 9));
    assertEquals(NONE, SegmentInputs.local(inputs, NONE));
    assertThrows(IllegalStateException.class, () -> SegmentInputs.local(inputs, 4));
  }
}
