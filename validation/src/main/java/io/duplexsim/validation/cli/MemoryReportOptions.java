package io.duplexsim.validation.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * What `duplexsim memory` prints and writes beside its metrics, as opposed to what it simulates
 * ({@link MemorySettings}): JSON, per-pseudo-channel figures, epochs, charts, the command trace. A sweep
 * records every run's figures itself, so it takes none of these ({@link #KEYS}).
 */
final class MemoryReportOptions {
  /** The config-file keys of these options (the flags without their dashes). */
  static final List<String> KEYS = List.of("json", "per-channel", "epoch-cycles", "epoch-chart", "latency-chart",
      "command-trace");

  @Option(names = "--json", description = "Print the metrics as one JSON object.")
  Boolean json;

  @Option(names = "--per-channel", description = "Also print each pseudo-channel's requests, bandwidth, row-buffer "
      + "outcomes and read latency (JSON: per_pseudo_channel).")
  Boolean perChannel;

  @Option(names = "--epoch-cycles", paramLabel = "N",
      description = "Also print the run in epochs of N command-clock cycles: per epoch its bandwidth, reads, writes, "
          + "activations, precharges, refreshes, energy and power (JSON: epochs).")
  Long epochCycles;

  @Option(names = "--epoch-chart", paramLabel = "FILE.png",
      description = "Draw the bandwidth and power over time, per epoch (--epoch-cycles, default 1000), to a PNG file.")
  String epochChart;

  @Option(names = "--latency-chart", paramLabel = "FILE.png",
      description = "Draw the cumulative distribution of the read latency to a PNG file.")
  String latencyChart;

  @Option(names = "--command-trace", paramLabel = "FILE",
      description = "Write every DRAM command (cycle, pseudo-channel, command, rank, bank group, bank, row, column) to "
          + "a CSV file, in issue order.")
  String commandTrace;

  /** These options with the command line's ({@code this}) over a config file's. */
  MemoryReportOptions over(MemoryReportOptions file) {
    MemoryReportOptions m = new MemoryReportOptions();
    m.json = json != null ? json : file.json;
    m.perChannel = perChannel != null ? perChannel : file.perChannel;
    m.epochCycles = epochCycles != null ? epochCycles : file.epochCycles;
    m.epochChart = epochChart != null ? epochChart : file.epochChart;
    m.latencyChart = latencyChart != null ? latencyChart : file.latencyChart;
    m.commandTrace = commandTrace != null ? commandTrace : file.commandTrace;
    return m;
  }
}
