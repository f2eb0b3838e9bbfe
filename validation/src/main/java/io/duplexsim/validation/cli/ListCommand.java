package io.duplexsim.validation.cli;

import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Standards;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code duplexsim list ...}: what is bundled. A group, so more lists can be added as subcommands. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List what is bundled.",
    subcommands = {ListCommand.ListStandards.class})
final class ListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "missing list; expected one of " + List.copyOf(spec.subcommands().keySet()));
  }

  /** {@code duplexsim list standards}. */
  @Command(
      name = "standards",
      mixinStandardHelpOptions = true,
      description = "List the memory standards --standard accepts: data rate, organisation per stack, peak "
          + "bandwidth per stack and where the numbers come from.")
  static final class ListStandards implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "RATE", "ORGANISATION PER STACK", "PEAK/STACK", "SOURCE"});
      for (String name : Standards.names()) {
        DramStandard s = Standards.load(name);
        rows.add(new String[] {name, rate(s), org(s.org()),
            String.format(Locale.ROOT, "%.1f GB/s", s.stackPeakGBps()), s.source()});
      }
      Table.print(out, rows, 2);
      out.flush();
      return 0;
    }

    private static String rate(DramStandard s) {
      return String.format(Locale.ROOT, "%.1f Gb/s", s.rateMbps() / 1000.0);
    }

    static String org(Organization o) {
      return o.channels() + " ch x " + o.pseudoChannels() + " pc, " + o.ranks() + (o.ranks() == 1 ? " rank, " : " ranks, ")
          + o.banksPerRank() + " banks (" + o.bankGroups() + " bg x " + o.banks() + ")";
    }
  }
}
