package io.duplexsim.validation.cli;

import io.duplexsim.sim.InputException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/**
 * Byte counts as the command line and config files take them: a plain integer, or one with a
 * binary suffix {@code K}/{@code KiB}, {@code M}/{@code MiB}, {@code G}/{@code GiB},
 * {@code T}/{@code TiB} (case-insensitive, {@code KB} etc. also mean powers of 1024).
 */
final class ByteSize implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    Long v = parse(value);
    if (v == null) {
      throw new picocli.CommandLine.TypeConversionException(
          "'" + value + "' is not a byte count (expected e.g. 8192, 8KiB, 1GiB)");
    }
    return v;
  }

  /** Parses a byte count; null if malformed or out of range. */
  static Long parse(String value) {
    String s = value.trim().toLowerCase(Locale.ROOT).replace("_", "");
    int shift = 0;
    String[][] suffixes = {{"tib", "tb", "t"}, {"gib", "gb", "g"}, {"mib", "mb", "m"}, {"kib", "kb", "k"}, {"b"}};
    int[] shifts = {40, 30, 20, 10, 0};
    outer:
    for (int i = 0; i < suffixes.length; i++) {
      for (String suf : suffixes[i]) {
        if (s.endsWith(suf)) {
          s = s.substring(0, s.length() - suf.length()).trim();
          shift = shifts[i];
          break outer;
        }
      }
    }
    if (s.isEmpty()) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return null;
      }
    }
    try {
      long n = Long.parseLong(s);
      if (n > (Long.MAX_VALUE >> shift)) {
        return null;
      }
      return n << shift;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Parses or throws an {@link InputException} naming {@code where}. */
  static long parseOrThrow(String where, String value) {
    Long v = parse(value);
    if (v == null) {
      throw new InputException(where + ": expected a byte count (e.g. 8192, 8KiB, 1GiB), got '" + value + "'");
    }
    return v;
  }
}
