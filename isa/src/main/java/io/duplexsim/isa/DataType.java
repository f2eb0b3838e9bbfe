package io.duplexsim.isa;

/**
 * Element types of tensors in memory and on compute paths. Width decides memory traffic; whether
 * the type is integer decides which tensor-core path (and peak) a unit uses.
 */
public enum DataType {
  FP32(32, false),
  BF16(16, false),
  FP16(16, false),
  /** FP8 E4M3, the W8A8-FP format. */
  FP8(8, false),
  INT8(8, true),
  INT4(4, true);

  private final int bits;
  private final boolean integer;

  DataType(int bits, boolean integer) {
    this.bits = bits;
    this.integer = integer;
  }

  public int bits() {
    return bits;
  }

  public boolean integer() {
    return integer;
  }

  public double bytes() {
    return bits / 8.0;
  }

  /** The trace name: fp32, bf16, fp16, fp8, int8, int4. */
  public String label() {
    return Names.of(this);
  }
}
