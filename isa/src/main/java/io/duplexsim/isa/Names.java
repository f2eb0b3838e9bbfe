package io.duplexsim.isa;

import java.util.Locale;

/**
 * The one rule that turns enum constants into the names traces and configs use (LOGIC_PIM is
 * "logic-pim"), so every enum reads and writes the same way.
 */
public final class Names {
  private Names() {}

  public static String of(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant named {@code name} in {@link #of} form, or null when there is none. */
  public static <E extends Enum<E>> E parse(Class<E> type, String name) {
    for (E e : type.getEnumConstants()) {
      if (of(e).equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** The accepted names of {@code type}, for error messages. */
  public static String choices(Class<? extends Enum<?>> type) {
    StringBuilder sb = new StringBuilder();
    for (Enum<?> e : type.getEnumConstants()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(of(e));
    }
    return sb.toString();
  }
}
