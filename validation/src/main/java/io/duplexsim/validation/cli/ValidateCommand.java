package io.duplexsim.validation.cli;

import io.duplexsim.sim.InputException;
import io.duplexsim.validation.run.ScenarioRunner;
import io.duplexsim.validation.suite.CheckResult;
import io.duplexsim.validation.suite.SuiteRunner;
import io.duplexsim.validation.suite.ValidationReport;
import io.duplexsim.validation.suite.ValidationSuite;
import io.duplexsim.validation.suite.ValidationSuites;
import io.duplexsim.workloads.serving.ServingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplexsim validate}: run the published-number suites and write validation.csv, a chart and report.html. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run validation suites against published numbers and write DIR/validation.csv "
            + "(suite,check,published,simulated,rel_error,tolerance,pass), DIR/validation.png and DIR/report.html.",
        "Tolerances are part of each suite, set before its simulated values were seen. Exit status 0 only if every "
            + "check passes (1 otherwise, 2 for bad input)."},
    footer = {"", "Examples:", "  duplexsim validate --suite duplex-micro24 --out out/validation",
        "  duplexsim validate --suite all --fidelity roofline --jobs 2 --out out/validation"})
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--suite", defaultValue = "all", paramLabel = "NAME",
      description = "duplex-micro24, policies or all (default all).")
  String suite;

  @Option(names = "--fidelity", defaultValue = "roofline", paramLabel = "MODE",
      description = "Fidelity of every serving run: roofline (default: the full grid in minutes), memo or cycle.")
  String fidelity;

  @Option(names = "--jobs", paramLabel = "N", description = "Runs at once (default: the available cores).")
  Integer jobs;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Override
  public Integer call() {
    if (!ScenarioRunner.FIDELITIES.contains(fidelity)) {
      throw new InputException("--fidelity: expected one of " + ScenarioRunner.FIDELITIES + ", got '" + fidelity + "'");
    }
    int n = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
    if (n < 1) {
      throw new InputException("--jobs must be >= 1, got " + n);
    }
    List<ValidationSuite> suites = ValidationSuites.select(suite, fidelity);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter o = spec.commandLine().getOut();
    long start = System.nanoTime();
    List<CheckResult> checks = new ArrayList<>();
    for (ValidationSuite s : suites) {
      err.printf(Locale.ROOT, "suite %s: %d serving runs at %s fidelity on %d threads%n", s.name(), s.runs().size(),
          fidelity, n);
      err.flush();
      Map<String, ServingResult> results = SuiteRunner.run("validate " + s.name(), s.runs(), n, err);
      checks.addAll(s.evaluate(results));
    }
    double wall = (System.nanoTime() - start) / 1e9;
    String preamble = String.format(Locale.ROOT, "Suites %s at %s fidelity; %.0f s of wall time. Published numbers are "
        + "targets only: every simulated value comes from the runs and op simulations, with no per-experiment "
        + "constants.", suite, fidelity, wall);
    ValidationReport.write(out, "duplexsim validation (" + suite + ")", checks, preamble);
    long passed = checks.stream().filter(CheckResult::pass).count();
    for (CheckResult c : checks) {
      o.printf(Locale.ROOT, "%-4s %-44s published %-10.4g simulated %-10.4g%n", c.pass() ? "ok" : "FAIL", c.check(),
          c.published(), c.simulated());
    }
    o.printf(Locale.ROOT, "%d of %d checks pass; wrote %s (%.0f s)%n", passed, checks.size(), out, wall);
    o.flush();
    return passed == checks.size() ? 0 : 1;
  }
}
