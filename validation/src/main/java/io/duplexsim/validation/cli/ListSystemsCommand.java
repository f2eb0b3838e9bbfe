package io.duplexsim.validation.cli;

import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code duplexsim list systems}. */
@Command(
    name = "systems",
    mixinStandardHelpOptions = true,
    description = "List the system presets --system accepts: nodes x devices per node, the device, the links "
        + "inside and across nodes.")
final class ListSystemsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "NODES x DEVICES", "DEVICE", "INTRA-NODE", "INTER-NODE", "DESCRIPTION"});
    for (String name : Systems.names()) {
      SystemPreset s = Systems.load(name);
      rows.add(new String[] {name, s.nodes() + " x " + s.devicesPerNode(), s.device().name(), s.intraNode().toString(),
          s.interNode().toString(), s.description()});
    }
    Table.print(out, rows, 2);
    out.flush();
    return 0;
  }
}
