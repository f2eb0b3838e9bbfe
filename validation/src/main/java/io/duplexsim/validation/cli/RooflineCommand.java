package io.duplexsim.validation.cli;

import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import io.duplexsim.validation.roofline.RooflinePoint;
import io.duplexsim.validation.roofline.RooflineReport;
import io.duplexsim.validation.roofline.RooflineSweep;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplexsim roofline}: achieved throughput against Op/B on every unit of a device, simulated. */
@Command(
    name = "roofline",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Sweep Op/B from 0.5 to 512 on every unit of a device preset with GEMMs of k x n weights (m = Op/B "
            + "for BF16; FP32 weights at 0.5), simulated cycle by cycle, and write roofline.csv and roofline.png "
            + "(achieved TFLOPS per unit, each unit's nominal roof dashed) into --out."},
    footer = {"", "Example:", "  duplexsim roofline --device duplex --out out/roofline"})
final class RooflineCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--device", required = true, paramLabel = "NAME", description = "Device preset (see 'list devices').")
  String device;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for roofline.csv and roofline.png.")
  Path out;

  @Option(names = "--k", defaultValue = "4096", paramLabel = "K", description = "Weight rows (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--n", defaultValue = "4096", paramLabel = "N", description = "Weight columns (default ${DEFAULT-VALUE}).")
  int n;

  @Override
  public Integer call() {
    System.setProperty("java.awt.headless", "true");
    DevicePreset d = Devices.load(device);
    if (k <= 0 || n <= 0) {
      throw new InputException("--k and --n must be positive, got " + k + " and " + n);
    }
    if (out.toFile().exists() && !out.toFile().isDirectory()) {
      throw new InputException("--out " + out + " exists and is not a folder");
    }
    MemoryConfig memory = d.memoryConfig();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter o = spec.commandLine().getOut();
    long start = System.nanoTime();
    List<RooflinePoint> points = RooflineSweep.run(d, memory, k, n, RooflineSweep.OP_PER_BYTE, p -> {
      err.printf(Locale.ROOT, "%-14s Op/B %6.2f  %9.2f TFLOPS  %9.1f GB/s  %s%n", p.unit(), p.nominalOpPerByte(),
          p.result().achievedTflops(), p.result().achievedGBps(), p.result().bound());
      err.flush();
    });
    try {
      RooflineReport.write(out, "Roofline of '" + d.name() + "' (" + k + " x " + n + " weights, simulated)", points);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    o.printf(Locale.ROOT, "wrote %s and %s (%d points, %.1f s)%n", out.resolve("roofline.csv"),
        out.resolve("roofline.png"), points.size(), (System.nanoTime() - start) / 1e9);
    o.flush();
    return 0;
  }
}
