package io.duplexsim.validation.suite;

import java.util.Locale;

/**
 * One published number against what the simulator computed. Numeric checks pass when the relative
 * error is within the tolerance the suite states (set before looking at simulated values); a yes/no
 * claim (an ordering, "X dominates") is published as 1 and simulated as 1 or 0 with tolerance 0.
 *
 * @param suite the suite's name
 * @param check a stable dotted name (e.g. {@code fig11.pe-et-vs-gpu.max})
 * @param source where the published number comes from (figure, section)
 * @param published the paper's number
 * @param simulated the simulator's number for the same quantity
 * @param tolerance largest accepted relative error
 * @param note what is compared, and where the simulator's setup differs from the paper's
 */
public record CheckResult(String suite, String check, String source, double published, double simulated,
    double tolerance, String note) {

  public static CheckResult claim(String suite, String check, String source, boolean holds, String note) {
    return new CheckResult(suite, check, source, 1, holds ? 1 : 0, 0, note);
  }

  public double relError() {
    if (Double.isNaN(simulated)) {
      return Double.NaN;
    }
    return published == 0 ? Math.abs(simulated) : Math.abs(simulated - published) / Math.abs(published);
  }

  public boolean pass() {
    return !Double.isNaN(simulated) && relError() <= tolerance + 1e-12;
  }

  /** The validation.csv row: suite,check,published,simulated,rel_error,tolerance,pass. */
  public String csvRow() {
    return String.join(",", suite, check, num(published), num(simulated), num(relError()), num(tolerance),
        Boolean.toString(pass()));
  }

  public static final String CSV_HEADER = "suite,check,published,simulated,rel_error,tolerance,pass";

  private static String num(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6g", v);
  }
}
