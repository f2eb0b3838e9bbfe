package io.duplexsim.validation.run;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import java.util.Locale;

/** Weight formats by the names the command line and scenario files accept. */
public final class WeightFormats {
  private WeightFormats() {}

  /** The format's own name or the short one the serving flags use; InputException otherwise. */
  public static WeightFormat parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "bf16" -> WeightFormat.BF16;
      case "fp16" -> WeightFormat.FP16;
      case "fp8", "w8a8-fp8" -> WeightFormat.W8A8_FP8;
      case "int8", "w8a8-int8" -> WeightFormat.W8A8_INT8;
      case "int4", "w4a16" -> WeightFormat.W4A16;
      default -> throw new InputException("--weights: expected bf16, fp16, fp8, int8 or int4 (or w8a8-fp8, w8a8-int8,"
          + " w4a16), got '" + name + "'");
    };
  }
}
