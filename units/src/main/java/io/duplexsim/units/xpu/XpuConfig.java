package io.duplexsim.units.xpu;

/**
 * An xPU: streaming multiprocessors (SMs), each with weight-stationary systolic arrays (its tensor
 * cores) and an SRAM of {@code smemStages} operand stages, sharing an L2 in front of the HBM
 * controllers. GEMMs run as output tiles of {@code tileM x tileN}, streamed through K in steps of
 * {@code tileK}; each SM splits its tile's columns over its arrays.
 *
 * <p>H100 preset ({@link #h100()}): 132 SMs x 4 tensor cores of 512 dense 16-bit MACs per cycle
 * (16 x 32 arrays) at 1.83 GHz = 989.4 TFLOPS, the published dense BF16 peak; 8-bit operands (W8A8)
 * pack two MACs per PE (twice the columns). Tile 128 x 256 x 64 with 4 stages (192 KB of the 228 KB
 * SMEM) is CUTLASS's Hopper default. Not in the references, so named assumptions: the L2 serves
 * 5.5 TB/s in total (Chips and Cheese measured about that on H100 PCIe) and 128 B per cycle into one
 * SM, after 200 cycles of latency.
 *
 * @param sms streaming multiprocessors
 * @param arraysPerSm systolic arrays (tensor cores) per SM
 * @param arrayRows PE rows of an array (the K a fold holds)
 * @param arrayCols PE columns of an array (the N a fold holds)
 * @param clockMHz array clock
 * @param tileM output tile rows per SM
 * @param tileN output tile columns per SM
 * @param tileK K per SMEM stage
 * @param smemStages operand stages in SMEM (loads run that many K steps ahead)
 * @param l2MB L2 capacity
 * @param l2GBps L2 bandwidth to all SMs together
 * @param smLoadBytesPerCycle L2-to-SMEM bandwidth of one SM
 * @param l2LatencyCycles L2 hit latency
 * @param sectorBytes DRAM request size (32 B: one HBM3 pseudo-channel burst)
 */
public record XpuConfig(int sms, int arraysPerSm, int arrayRows, int arrayCols, int clockMHz, int tileM, int tileN,
    int tileK, int smemStages, double l2MB, double l2GBps, int smLoadBytesPerCycle, int l2LatencyCycles,
    int sectorBytes) {

  public XpuConfig {
    positive("sms", sms);
    positive("arraysPerSm", arraysPerSm);
    positive("arrayRows", arrayRows);
    positive("arrayCols", arrayCols);
    positive("clockMHz", clockMHz);
    positive("tileM", tileM);
    positive("tileN", tileN);
    positive("tileK", tileK);
    positive("smemStages", smemStages);
    positive("smLoadBytesPerCycle", smLoadBytesPerCycle);
    positive("sectorBytes", sectorBytes);
    if (!(l2MB >= 0) || !(l2GBps > 0) || l2LatencyCycles < 0) {
      throw new IllegalArgumentException("xpu: l2MB >= 0, l2GBps > 0 and l2LatencyCycles >= 0 expected");
    }
    if (tileN % arraysPerSm != 0) {
      throw new IllegalArgumentException("xpu: tileN " + tileN + " must divide over " + arraysPerSm + " arrays");
    }
  }

  public static XpuConfig h100() {
    return new XpuConfig(132, 4, 16, 32, 1830, 128, 256, 64, 4, 50, 12000, 128, 200, 32);
  }

  /**
   * The same xPU with {@code smCount} SMs and its L2 capacity and bandwidth scaled in proportion: a
   * slice with the same compute-to-L2 balance (e.g. one stack's share of a five-stack device, for
   * reduced-size runs).
   */
  public XpuConfig withSms(int smCount) {
    double f = (double) smCount / sms;
    return new XpuConfig(smCount, arraysPerSm, arrayRows, arrayCols, clockMHz, tileM, tileN, tileK, smemStages,
        l2MB * f, l2GBps * f, smLoadBytesPerCycle, l2LatencyCycles, sectorBytes);
  }

  /** MACs per cycle of the whole xPU; 8-bit operands pack two per PE. */
  public long macsPerCycle(boolean eightBit) {
    return (long) sms * arraysPerSm * arrayRows * arrayCols * (eightBit ? 2 : 1);
  }

  /** Dense peak in TFLOPS (2 per MAC). */
  public double peakTflops(boolean eightBit) {
    return 2.0 * macsPerCycle(eightBit) * clockMHz * 1e6 / 1e12;
  }

  public long l2Bytes() {
    return (long) (l2MB * 1024 * 1024);
  }

  /** L2 bandwidth in bytes per array clock cycle. */
  public double l2BytesPerCycle() {
    return l2GBps * 1e9 / (clockMHz * 1e6);
  }

  private static void positive(String key, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException("xpu: " + key + " must be positive, got " + v);
    }
  }
}
