package io.duplexsim.validation.suite;

import io.duplexsim.sim.InputException;
import java.util.List;

/** The bundled suites by name. */
public final class ValidationSuites {
  public static final List<String> NAMES = List.of(DuplexMicro24Suite.NAME, PoliciesSuite.NAME, "all");

  private ValidationSuites() {}

  public static List<ValidationSuite> select(String name, String fidelity) {
    return switch (name) {
      case DuplexMicro24Suite.NAME -> List.of(new DuplexMicro24Suite(fidelity));
      case PoliciesSuite.NAME -> List.of(new PoliciesSuite(fidelity));
      case "all" -> List.of(new DuplexMicro24Suite(fidelity), new PoliciesSuite(fidelity));
      default -> throw new InputException("--suite: expected one of " + NAMES + ", got '" + name + "'");
    };
  }
}
