package io.duplexsim.validation.cli;

import io.duplexsim.sim.InputException;
import io.duplexsim.validation.experiment.ExperimentResults;
import io.duplexsim.validation.report.ExperimentReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code duplexsim plot}: redraw the charts and report of saved results without simulating. */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = "Redraw the charts (PNG) and report.html of a results.json written by compare, without simulating.",
    footer = {"", "Example:", "  duplexsim plot out/compare/results.json --out out/replot"})
final class PlotCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RESULTS", description = "A results.json.")
  Path resultsFile;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the folder of RESULTS).")
  Path out;

  @Override
  public Integer call() {
    ExperimentResults results = ExperimentResults.read(resultsFile);
    Path dir = out != null ? out : resultsFile.toAbsolutePath().getParent();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InputException("--out " + dir + " exists and is not a folder");
    }
    List<String> files = ExperimentReport.drawAll(results, dir);
    PrintWriter o = spec.commandLine().getOut();
    o.println("wrote " + files.size() + " files to " + dir + ": " + String.join(", ", files));
    o.flush();
    return 0;
  }
}
