package io.duplexsim.units;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one simulated operator on one unit reports; every figure comes out of the simulation.
 *
 * @param unitCycles cycles of the unit's clock until the operator's last result
 * @param timeNs wall-clock time of the simulated run, in ns
 * @param flops arithmetic work (2 per MAC)
 * @param bytes bytes the unit moved from or to DRAM (the denominator of Op/B)
 * @param achievedTflops flops / time
 * @param achievedGBps bytes / time
 * @param busyFraction fraction of the unit's compute cycles spent computing
 * @param bound what limited the run: compute, memory, tsv, bus, link, latency (a collective no port was
 *     busy for), softmax (the near-memory softmax units) or none (a barrier)
 * @param energyPj total energy
 * @param energyBreakdownPj energy by category (dram.act, dram.path.*, unit.mac, ...)
 */
public record OpResult(long unitCycles, double timeNs, long flops, long bytes, double achievedTflops,
    double achievedGBps, double busyFraction, String bound, double energyPj, Map<String, Double> energyBreakdownPj) {

  public OpResult {
    energyBreakdownPj = Collections.unmodifiableMap(new LinkedHashMap<>(energyBreakdownPj)); // keeps the order
  }

  /** Energy per bit moved. */
  public double pjPerBit() {
    return energyPj / (bytes * 8.0);
  }

  /** Operations per byte moved. */
  public double opPerByte() {
    return bytes == 0 ? 0.0 : (double) flops / bytes;
  }
}
