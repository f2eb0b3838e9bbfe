package io.duplexsim.validation.cli;

import io.duplexsim.sim.InputException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code duplexsim} command line. Subcommands: {@code memory} (one memory-system simulation),
 * {@code op} (one operator on one unit of a device preset) and {@code list} (what is bundled). Exit status: 0 success, 1 internal error (stack trace
 * printed), 2 bad input (one line {@code duplexsim: error: ...} on standard error).
 */
@Command(
    name = "duplexsim",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Cycle-level simulator of HBM, processing-in-memory and xPU devices under LLM inference.",
    usageHelpAutoWidth = true)
public final class Main implements Callable<Integer> {
  /** Exit status for bad user input. */
  public static final int EXIT_INPUT = 2;
  /** Exit status for an internal error. */
  public static final int EXIT_INTERNAL = 1;

  /** The subcommands, in the order help lists them. */
  private static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, CompareCommand.class, PlotCommand.class,
      ValidateCommand.class, SweepCommand.class, MemoryCommand.class, OpCommand.class, RooflineCommand.class,
      CollectiveCommand.class, CoRunCommand.class, CompileCommand.class, ListCommand.class, BenchCommand.class);

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "missing command; expected one of " + List.copyOf(spec.subcommands().keySet()));
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit status. Never calls {@code System.exit}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    try {
      CommandLine cl = commandLine(args);
      cl.setOut(outWriter);
      cl.setErr(errWriter);
      cl.setParameterExceptionHandler((ex, a) -> {
        errWriter.println("duplexsim: error: " + oneLine(ex.getMessage()));
        CommandLine where = ex.getCommandLine();
        String hint = "";
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
          hint = "did you mean " + String.join(" or ", u.getSuggestions()) + "? ";
        }
        errWriter.println(hint + "try '" + where.getCommandSpec().qualifiedName() + " --help'");
        return EXIT_INPUT;
      });
      cl.setExecutionExceptionHandler((ex, c, parsed) -> handle(ex, errWriter));
      return cl.execute(args);
    } catch (RuntimeException e) {
      return handle(e, errWriter);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  /** The configured picocli command tree (exposed for documentation and completion tools). */
  static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command tree {@code args} need: when they start with a subcommand's name, only that subcommand
   * is built (picocli reads every option of every command it builds, a third of a second for all of
   * them on a fresh JVM); else the whole tree, for help, suggestions and the missing-command message.
   */
  static CommandLine commandLine(String[] args) {
    CommandLine cl = new CommandLine(new Main());
    Class<?> named = null;
    for (Class<?> c : SUBCOMMANDS) {
      if (args.length > 0 && c.getAnnotation(Command.class).name().equals(args[0])) {
        named = c;
      }
    }
    for (Class<?> c : named == null ? SUBCOMMANDS : List.of(named)) {
      cl.addSubcommand(c.getAnnotation(Command.class).name(), new CommandLine(c, CommandLine.defaultFactory()));
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    return cl;
  }

  private static int handle(Exception ex, PrintWriter err) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof InputException) {
        err.println("duplexsim: error: " + oneLine(t.getMessage()));
        return EXIT_INPUT;
      }
    }
    err.println("duplexsim: internal error: " + ex);
    ex.printStackTrace(err);
    return EXIT_INTERNAL;
  }

  static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  /** Version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"duplexsim " + (v == null ? "dev" : v)};
    }
  }
}
