package io.duplexsim.isa;

/**
 * Shape checks for instruction constructors. Messages name the field in the form the trace readers
 * prefix with file and line: "field 'k' expected a positive integer, got -3".
 */
final class Check {
  private Check() {}

  static void positive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          "field '" + field + "' expected a positive integer, got " + value);
    }
  }

  static void nonNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "field '" + field + "' expected a non-negative integer, got " + value);
    }
  }

  static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException("field '" + field + "' is required");
    }
    return value;
  }

  static void that(boolean ok, String field, String expected, Object got) {
    if (!ok) {
      throw new IllegalArgumentException(
          "field '" + field + "' expected " + expected + ", got " + got);
    }
  }

  /** The common header of every instruction: a non-negative id, a unit, distinct earlier deps. */
  static void header(int id, Unit unit, IntSeq deps) {
    nonNegative("id", id);
    notNull("unit", unit);
    notNull("deps", deps);
    for (int i = 0; i < deps.size(); i++) {
      int d = deps.get(i);
      that(d >= 0 && d != id, "deps", "ids of other instructions (non-negative, not " + id + ")",
          deps);
      for (int j = 0; j < i; j++) {
        that(deps.get(j) != d, "deps", "distinct ids", deps);
      }
    }
  }

  /** {@code elements * bytesPerElement}, rounded up to whole bytes. */
  static long bytes(double elements, double bytesPerElement) {
    return (long) Math.ceil(elements * bytesPerElement);
  }
}
