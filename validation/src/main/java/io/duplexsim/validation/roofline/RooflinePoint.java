package io.duplexsim.validation.roofline;

import io.duplexsim.units.OpResult;

/**
 * One simulated point of a roofline sweep: a GEMM of {@code m x k x n} on {@code unit} in {@code dtype}.
 *
 * @param nominalOpPerByte 2mkn over the weight bytes: the sweep's x axis
 * @param roofTflops the unit's nominal ceiling at that Op/B: min(peak, Op/B x path bandwidth)
 */
public record RooflinePoint(String unit, String dtype, int m, int k, int n, double nominalOpPerByte,
    double roofTflops, OpResult result) {

  static final String CSV_HEADER = "unit,dtype,m,k,n,op_per_byte,simulated_op_per_byte,time_ns,achieved_tflops,"
      + "roof_tflops,achieved_GBps,bound,energy_pJ,pJ_per_bit";

  String csvRow() {
    return String.join(",", unit, dtype, Integer.toString(m), Integer.toString(k), Integer.toString(n),
        num(nominalOpPerByte), num(result.opPerByte()), num(result.timeNs()), num(result.achievedTflops()),
        num(roofTflops), num(result.achievedGBps()), result.bound(), num(result.energyPj()), num(result.pjPerBit()));
  }

  private static String num(double v) {
    return String.format(java.util.Locale.ROOT, "%.6g", v);
  }
}
