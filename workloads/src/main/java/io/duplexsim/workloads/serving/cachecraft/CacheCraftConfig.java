package io.duplexsim.workloads.serving.cachecraft;

import io.duplexsim.sim.InputException;
import java.util.Locale;

/**
 * Cache-Craft's parameters (arXiv 2502.15734; policies.md). Errors name the scenario key.
 *
 * @param reuse whether chunk-caches are stored and reused; false computes every prompt in full, exactly as
 *     the engine without the policy (and reserves no HBM)
 * @param maxVariants chunk-cache variants kept per chunk, one per earlier prefix (5 in the paper)
 * @param alpha the CFO's scale (1: the fix overhead is CCI x (1 - beta') as is)
 * @param cciMin smallest cache context impact a chunk can draw
 * @param cciMax largest; each chunk's CCI is drawn uniformly in [cciMin, cciMax] from a hash of its id and
 *     the seed (fixed when equal), so a chunk keeps its CCI whatever the arrival order
 * @param chunkTokens tokens per retrieved chunk (the prompt's chunks lead it, in order, then the question)
 * @param earlyTerminationLayers layers after which the recomputation of a chunk unfocused by the question
 *     stops (10-15 in the paper); 0 turns early termination off
 * @param unfocusedFraction share of a prompt's chunks the question does not focus on, each drawn with the seed
 * @param hbmFraction share of the paged KV capacity set aside in HBM for chunk-caches
 * @param dramGb host DRAM for chunk-caches, for the whole replica (each device keeps its KV heads' share)
 * @param nvmeGb NVMe for chunk-caches, for the whole replica
 * @param pcieGBps host link per device (PCIe 4.0 x16: 64 GB/s)
 * @param nvmeGBps NVMe read bandwidth per device (16 GB/s)
 * @param seed for the CCI and focus draws
 */
public record CacheCraftConfig(boolean reuse, int maxVariants, double alpha, double cciMin, double cciMax,
    int chunkTokens, int earlyTerminationLayers, double unfocusedFraction, double hbmFraction, double dramGb,
    double nvmeGb, double pcieGBps, double nvmeGBps, long seed) {

  public CacheCraftConfig {
    if (maxVariants < 1) {
      throw new InputException("cache-craft-variants must be >= 1, got " + maxVariants);
    }
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new InputException("cache-craft-alpha must be a non-negative number, got " + alpha);
    }
    if (!(cciMin >= 0 && cciMin <= cciMax && cciMax <= 1)) {
      throw new InputException("cache-craft-cci must lie in [0, 1] with min <= max, got " + cciMin + ".." + cciMax);
    }
    if (chunkTokens < 1) {
      throw new InputException("rag-chunk-tokens must be >= 1, got " + chunkTokens);
    }
    if (earlyTerminationLayers < 0) {
      throw new InputException("cache-craft-early-termination-layers must be >= 0 (0: off), got "
          + earlyTerminationLayers);
    }
    if (!(unfocusedFraction >= 0 && unfocusedFraction <= 1)) {
      throw new InputException("cache-craft-unfocused-fraction must be in [0, 1], got " + unfocusedFraction);
    }
    if (!(hbmFraction >= 0 && hbmFraction < 1)) {
      throw new InputException("cache-craft-hbm-fraction must be in [0, 1), got " + hbmFraction);
    }
    if (!(dramGb >= 0) || Double.isInfinite(dramGb)) {
      throw new InputException("cache-craft-dram-gb must be a non-negative number, got " + dramGb);
    }
    if (!(nvmeGb >= 0) || Double.isInfinite(nvmeGb)) {
      throw new InputException("cache-craft-nvme-gb must be a non-negative number, got " + nvmeGb);
    }
    if (!(pcieGBps > 0) || Double.isInfinite(pcieGBps)) {
      throw new InputException("cache-craft-pcie-gbps must be a positive number, got " + pcieGBps);
    }
    if (!(nvmeGBps > 0) || Double.isInfinite(nvmeGBps)) {
      throw new InputException("cache-craft-nvme-gbps must be a positive number, got " + nvmeGBps);
    }
  }

  /**
   * The paper's setting: 5 variants, PCIe 4.0 x16 and NVMe at 16 GB/s, early termination after 12 layers
   * (in the paper's 10-15) for half the chunks; alpha 1 and CCI uniform over its whole range [0, 1] are
   * assumptions (the paper derives CCI from measured attention), 20% of KV in HBM, 256 GB DRAM, 2 TB NVMe.
   */
  public static CacheCraftConfig defaults(long seed) {
    return new CacheCraftConfig(true, 5, 1.0, 0.0, 1.0, 512, 12, 0.5, 0.2, 256, 2000, 64, 16, seed);
  }

  /** A copy with reuse switched. */
  public CacheCraftConfig withReuse(boolean v) {
    return new CacheCraftConfig(v, maxVariants, alpha, cciMin, cciMax, chunkTokens, earlyTerminationLayers,
        unfocusedFraction, hbmFraction, dramGb, nvmeGb, pcieGBps, nvmeGBps, seed);
  }

  /** Bandwidth in GB/s (bytes per ns) from a tier to the device; HBM-resident variants need no transfer. */
  double bandwidthGBps(StorageTier tier) {
    return switch (tier) {
      case HBM -> Double.POSITIVE_INFINITY;
      case DRAM -> pcieGBps;
      case NVME -> nvmeGBps;
    };
  }

  /**
   * Parses the CCI distribution's text form {@code fixed:X} (or just {@code X}) or {@code uniform:MIN,MAX};
   * returns {min, max}. InputException naming {@code key} otherwise.
   */
  public static double[] parseCci(String text, String key) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("uniform:")) {
        String[] p = t.substring(8).split(",", -1);
        if (p.length == 2) {
          double lo = Double.parseDouble(p[0].trim());
          double hi = Double.parseDouble(p[1].trim());
          if (lo >= 0 && lo <= hi && hi <= 1) {
            return new double[] {lo, hi};
          }
        }
      } else {
        double x = Double.parseDouble(t.startsWith("fixed:") ? t.substring(6).trim() : t);
        if (x >= 0 && x <= 1) {
          return new double[] {x, x};
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputException(key + " must be fixed:X or uniform:MIN,MAX with 0 <= MIN <= MAX <= 1, got '" + text
        + "'");
  }
}
