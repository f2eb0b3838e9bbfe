package io.duplexsim.memory;

import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.InputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes every DRAM command of a run as one CSV line, {@code cycle,pseudo_channel,command,rank,bank_group,
 * bank,row,column} (row and column -1 where the command has none), in issue order: Ramulator 2's and
 * DRAMsim3's command traces, for power tools such as DRAMPower or for debugging a schedule. The file
 * appears whole when {@link #finish} is called, or not at all.
 */
public final class CommandTraceWriter implements CommandObserver {
  private final DramStandard standard;
  private final Path file;
  private final Path tmp;
  private final BufferedWriter out;
  private final StringBuilder line = new StringBuilder(64);

  public CommandTraceWriter(DramStandard standard, Path file) {
    this.standard = standard;
    this.file = file;
    if (Files.isDirectory(file)) {
      throw new InputException("command trace '" + file + "' is a folder; expected a file to write");
    }
    Path dir = file.toAbsolutePath().getParent();
    this.tmp = dir.resolve("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(dir);
      this.out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII);
      out.write("cycle,pseudo_channel,command,rank,bank_group,bank,row,column\n");
    } catch (IOException e) {
      throw new InputException("cannot write command trace '" + file + "': " + e.getMessage());
    }
  }

  @Override
  public void onCommand(long cycle, int pseudoChannel, int command, int rank, int bankGroup, int bank, int row,
      int column) {
    line.setLength(0);
    line.append(cycle).append(',').append(pseudoChannel).append(',').append(standard.command(command).name())
        .append(',').append(rank).append(',').append(bankGroup).append(',').append(bank).append(',').append(row)
        .append(',').append(column).append('\n');
    try {
      out.append(line);
    } catch (IOException e) {
      throw new UncheckedIOException("writing command trace " + tmp, e);
    }
  }

  /** Closes the file and moves it into place. */
  public void finish() {
    try {
      out.close();
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      abort();
      throw new InputException("cannot write command trace '" + file + "': " + e.getMessage());
    }
  }

  /** Drops the unfinished file (the run failed). */
  public void abort() {
    try {
      out.close();
    } catch (IOException ignored) {
      // nothing more to lose
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // best effort: a hidden temporary file is all that can remain
    }
  }
}
