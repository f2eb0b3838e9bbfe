package io.duplexsim.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormatsTest {
  @Test
  void dataTypeWidths() {
    assertEquals(4.0, DataType.FP32.bytes());
    assertEquals(2.0, DataType.BF16.bytes());
    assertEquals(2.0, DataType.FP16.bytes());
    assertEquals(1.0, DataType.FP8.bytes());
    assertEquals(1.0, DataType.INT8.bytes());
    assertEquals(0.5, DataType.INT4.bytes());
    assertTrue(DataType.INT4.integer());
    assertFalse(DataType.FP8.integer());
  }

  @Test
  void bytesPerElementIncludesGroupScales() {
    assertEquals(0.5 + 2.0 / 128, TensorFormat.INT4_G128_FP16.bytesPerElement(), 1e-12);
    assertEquals(0.515625, TensorFormat.INT4_G128_FP16.bytesPerElement(), 1e-12);
    assertEquals(2.0, TensorFormat.BF16.bytesPerElement());
    assertEquals(1.0 + 4.0 / 64,
        new TensorFormat(DataType.INT8, 64, DataType.FP32).bytesPerElement(), 1e-12);
  }

  @Test
  void weightFormatsFollowPolicies() {
    assertEquals(2.0, WeightFormat.BF16.weights().bytesPerElement());
    assertEquals(1.0, WeightFormat.W8A8_FP8.weights().bytesPerElement());
    assertEquals(1.0, WeightFormat.W8A8_FP8.activations().bytesPerElement());
    assertEquals(1.0, WeightFormat.W8A8_INT8.weights().bytesPerElement());
    assertEquals(0.515625, WeightFormat.W4A16.weights().bytesPerElement(), 1e-12);
    assertEquals(2.0, WeightFormat.W4A16.activations().bytesPerElement());
    assertEquals("w8a8-fp8", WeightFormat.W8A8_FP8.label());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bf16", "fp8", "int4/g128/fp16", "int8/g32/fp32", "fp32"})
  void labelParsesBack(String label) {
    assertEquals(label, TensorFormat.parse(label).label());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bf17", "int4/128/fp16", "int4/g0/fp16", "int4/g128/int8", "int4/g128",
      "", "int4/gx/fp16"})
  void badFormatsAreRejected(String label) {
    assertThrows(IllegalArgumentException.class, () -> TensorFormat.parse(label));
  }

  @Test
  void scalesRequireAGroup() {
    assertThrows(IllegalArgumentException.class,
        () -> new TensorFormat(DataType.INT4, 0, DataType.FP16));
    assertThrows(IllegalArgumentException.class, () -> new TensorFormat(DataType.INT4, 128, null));
  }

  @Test
  void unitNames() {
    assertEquals("xpu", Unit.XPU.label());
    assertEquals("logic-pim", Unit.LOGIC_PIM.label());
    assertEquals("bank-pim", Unit.BANK_PIM.label());
    assertEquals("bankgroup-pim", Unit.BANKGROUP_PIM.label());
    assertEquals("link", Unit.LINK.label());
    for (Unit u : Unit.values()) {
      assertEquals(u, Unit.parse(u.label()));
    }
    assertThrows(IllegalArgumentException.class, () -> Unit.parse("gpu"));
  }
}
