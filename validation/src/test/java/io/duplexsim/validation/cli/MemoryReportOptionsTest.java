package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Option;

/** The report options' config keys are their flags, and each is a config-file key of `memory`. */
class MemoryReportOptionsTest {
  @Test
  void keysAreTheFlagsAndConfigFileKeys() {
    Set<String> flags = new TreeSet<>();
    for (Field f : MemoryReportOptions.class.getDeclaredFields()) {
      Option o = f.getAnnotation(Option.class);
      if (o != null) {
        flags.add(o.names()[0].substring(2));
      }
    }
    assertEquals(flags, new TreeSet<>(MemoryReportOptions.KEYS));
    assertTrue(MemorySettings.keys().containsAll(MemoryReportOptions.KEYS), MemorySettings.keys().toString());
  }
}
