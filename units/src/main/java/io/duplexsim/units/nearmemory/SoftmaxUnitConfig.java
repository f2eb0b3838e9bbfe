package io.duplexsim.units.nearmemory;

/**
 * The softmax unit of one HBM stack (Duplex: one per stack on the logic die, with a comparator tree,
 * exp units, an adder tree, dividers and 128 KB buffers; hardware.md). The references give no
 * throughput, so it is a parameter: {@code elementsPerCycle} score elements taken through the whole
 * softmax (max, exp, sum, divide, pipelined) per cycle at {@code clockMHz}.
 *
 * <p>The default, {@link #assumed()}, is an assumption, not a sourced figure: 128 elements per cycle
 * at the Logic-PIM clock of 650 MHz, the rate at which the stack's 32 GEMM modules produce scores at
 * their MAC peak for head dimension 128 (32 x 512 MACs / 128 MACs per score), i.e. sized so that
 * softmax keeps up with score generation at the design point. The 1.64 mm2 the paper gives the unit
 * (a GEMM module's 512 MACs take 0.09 mm2) leaves room for that width. Bank-PIM uses the same unit on
 * the buffer die, as AttAcc does its softmax outside the banks.
 *
 * @param elementsPerCycle score elements per cycle, all softmax steps pipelined
 * @param clockMHz the unit's clock
 */
public record SoftmaxUnitConfig(int elementsPerCycle, int clockMHz) {
  /** AttAcc's energy per ALU operation (hardware.md), charged per softmax step. */
  public static final double ALU_OP_PJ = 0.32;
  /** Steps per element: max, subtract, exp, sum, divide ({@link io.duplexsim.isa.Softmax}'s count). */
  public static final int OPS_PER_ELEMENT = 5;

  public SoftmaxUnitConfig {
    if (elementsPerCycle <= 0 || clockMHz <= 0) {
      throw new IllegalArgumentException("softmax unit: elements per cycle and clock must be positive");
    }
  }

  /** The documented assumption: 128 elements per cycle at 650 MHz. */
  public static SoftmaxUnitConfig assumed() {
    return new SoftmaxUnitConfig(128, 650);
  }

  /** Energy of the softmax of {@code elements} elements. */
  public static double energyPj(long elements) {
    return (double) elements * OPS_PER_ELEMENT * ALU_OP_PJ;
  }
}
