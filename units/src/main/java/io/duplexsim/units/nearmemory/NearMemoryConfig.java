package io.duplexsim.units.nearmemory;

import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.Organization;

/**
 * A near-memory GEMM engine: one module per pseudo-channel that streams weights with a multi-bank
 * read and multiplies them by the m input rows at its MAC rate. Presets:
 * <ul>
 *   <li>{@link #logicPim()}: Duplex's Logic-PIM on the logic die, 512 FP16 MACs at 650 MHz with an
 *       8 KB buffer per pseudo-channel, fed by bank-bundle reads (ALL-RD) through the 4x-wide TSV
 *       channel (hardware.md): 21.3 TFLOPS and Op/B 8 per stack.
 *   <li>{@link #bankgroupPim()}: the same units and bundle reads on the DRAM die, no TSV crossing.
 *   <li>{@link #bankPim()}: AttAcc / HBM-PIM style units beside every bank, fed by all-bank reads
 *       (MACAB, 16x the pins); peak Op/B 1 (hardware.md), so 128 MACs per pseudo-channel per 1.3 GHz
 *       cycle (32 banks x 32 B per tCCD_AB of 4 cycles = 256 B/cycle = 128 BF16 elements/cycle).
 * </ul>
 *
 * @param name unit name as the instruction set names it
 * @param read the request type that streams weights (its command's path sets TSV use and energy)
 * @param macsPerCycle MAC units per module
 * @param clockMHz module clock
 * @param bufferBytes weight buffer per module; bounds the reads in flight
 * @param softmax the per-stack softmax unit attention uses
 */
public record NearMemoryConfig(String name, RequestType read, int macsPerCycle, int clockMHz, int bufferBytes,
    SoftmaxUnitConfig softmax) {
  public NearMemoryConfig {
    if (macsPerCycle <= 0 || clockMHz <= 0 || bufferBytes <= 0) {
      throw new IllegalArgumentException(name + ": MACs, clock and buffer must be positive");
    }
    if (softmax == null) {
      throw new IllegalArgumentException(name + ": no softmax unit");
    }
  }

  /** With the assumed softmax unit ({@link SoftmaxUnitConfig#assumed()}). */
  public NearMemoryConfig(String name, RequestType read, int macsPerCycle, int clockMHz, int bufferBytes) {
    this(name, read, macsPerCycle, clockMHz, bufferBytes, SoftmaxUnitConfig.assumed());
  }

  public static NearMemoryConfig logicPim() {
    return new NearMemoryConfig("logic-pim", RequestType.BUNDLE_READ, 512, 650, 8192);
  }

  /** Logic-PIM's compute and bandwidth with the units on the DRAM die (hardware.md). */
  public static NearMemoryConfig bankgroupPim() {
    return new NearMemoryConfig("bankgroup-pim", RequestType.BUNDLE_READ_BANKGROUP, 512, 650, 8192);
  }

  public static NearMemoryConfig bankPim() {
    return new NearMemoryConfig("bank-pim", RequestType.ALLBANK_READ, 128, 1300, 8192);
  }

  /** Bytes one read request of this unit brings: a bank bundle's or a whole pseudo-channel's columns. */
  public int chunkBytes(Organization org) {
    return org.accessBytes() * switch (read) {
      case BUNDLE_READ, BUNDLE_WRITE, BUNDLE_READ_BANKGROUP -> org.banksPerBundle();
      case ALLBANK_READ -> org.banksPerPseudoChannel();
      default -> 1;
    };
  }

  /** Peak of the modules of {@code pseudoChannels} pseudo-channels, in FLOP/s (2 per MAC). */
  public double peakFlops(int pseudoChannels) {
    return 2.0 * macsPerCycle * clockMHz * 1e6 * pseudoChannels;
  }
}
