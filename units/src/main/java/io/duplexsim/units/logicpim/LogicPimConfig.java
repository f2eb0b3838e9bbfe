package io.duplexsim.units.logicpim;

/**
 * One Logic-PIM GEMM module per pseudo-channel on the HBM logic die (Duplex, hardware.md): 512 FP16
 * MACs at 650 MHz with an 8 KB operand buffer, fed by bank-bundle reads through the wide TSV channel.
 *
 * @param macsPerCycle MAC units per module
 * @param clockMHz module clock
 * @param bufferBytes weight buffer per module; bounds the bundle reads in flight
 */
public record LogicPimConfig(int macsPerCycle, int clockMHz, int bufferBytes) {
  public LogicPimConfig {
    if (macsPerCycle <= 0 || clockMHz <= 0 || bufferBytes <= 0) {
      throw new IllegalArgumentException("Logic-PIM MACs, clock and buffer must be positive");
    }
  }

  public static LogicPimConfig duplex() {
    return new LogicPimConfig(512, 650, 8192);
  }

  /** Peak of the modules of one stack, in FLOP/s (2 per MAC). */
  public double peakFlopsPerStack(int pseudoChannels) {
    return 2.0 * macsPerCycle * clockMHz * 1e6 * pseudoChannels;
  }
}
