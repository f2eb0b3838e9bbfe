package io.duplexsim.validation.suite;

import io.duplexsim.validation.run.Scenario;
import io.duplexsim.workloads.serving.ServingResult;
import java.util.List;
import java.util.Map;

/**
 * A set of published numbers and the serving runs that reproduce them. The runs are plain scenarios
 * (keyed by a name the checks refer to), so any executor can run them; {@link #evaluate} turns their
 * results, and any op-level measurements the suite makes itself, into one {@link CheckResult} per
 * published number.
 */
public interface ValidationSuite {
  String name();

  /** The serving runs, by key (at the fidelity the suite was made for). */
  Map<String, Scenario> runs();

  /** The fidelity every run and op measurement of this suite uses. */
  String fidelity();

  /** One result per published number; {@code results} holds every run of {@link #runs}. */
  List<CheckResult> evaluate(Map<String, ServingResult> results);
}
