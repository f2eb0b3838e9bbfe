package io.duplexsim.isa;

import java.util.Locale;

/**
 * The one rule that turns enum constants into the names traces and configs use (LOGIC_PIM is
 * "logic-pim"), so every enum reads and writes the same way.
 */
public final class Names {
  private Names() {}

  // Names are asked for in the executor's inner loops (unit labels, energy keys): computed once per type.
  private static final ClassValue<String[]> NAMES = new ClassValue<>() {
    @Override
    protected String[] computeValue(Class<?> type) {
      Object[] constants = type.getEnumConstants();
      String[] names = new String[constants.length];
      for (int i = 0; i < constants.length; i++) {
        names[i] = ((Enum<?>) constants[i]).name().toLowerCase(Locale.ROOT).replace('_', '-');
      }
      return names;
    }
  };

  public static String of(Enum<?> e) {
    return NAMES.get(e.getDeclaringClass())[e.ordinal()];
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
