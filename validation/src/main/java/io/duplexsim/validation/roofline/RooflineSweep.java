package io.duplexsim.validation.roofline;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import io.duplexsim.units.xpu.XpuConfig;
import io.duplexsim.units.xpu.XpuGemm;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sweeps Op/B on every unit of a device by running GEMMs of growing m (Op/B = m for 16-bit weights;
 * FP32 weights give the points below 1) through the cycle-level simulation, the picture Duplex uses to
 * argue its design: which unit is fastest at which arithmetic intensity.
 */
public final class RooflineSweep {
  private RooflineSweep() {}

  /** The Op/B values swept: 0.5 (FP32 weights, m = 1), then 1, 2, ..., 512 (BF16, m = Op/B). */
  public static final double[] OP_PER_BYTE = {0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

  /** Every Op/B point on every unit of {@code device}, in unit then Op/B order. */
  public static List<RooflinePoint> run(DevicePreset device, MemoryConfig memory, int k, int n, double[] opPerByte,
      Consumer<RooflinePoint> progress) {
    List<RooflinePoint> points = new ArrayList<>();
    DramStandard standard = MemorySystem.standardOf(memory);
    double pinGBps = standard.stackPeakGBps() * memory.stacks();
    for (String unit : device.units()) {
      for (double opb : opPerByte) {
        TensorFormat format = opb < 1 ? TensorFormat.FP32 : TensorFormat.BF16;
        int m = (int) Math.round(opb * format.bytesPerElement() / 2);
        if (m < 1 || Math.abs(2.0 * m / format.bytesPerElement() - opb) > 1e-9) {
          throw new IllegalArgumentException("Op/B " + opb + " is not reachable with a GEMM of whole rows");
        }
        OpResult r;
        double roof;
        if (unit.equals("xpu")) {
          XpuConfig x = device.xpuConfig().orElseThrow();
          r = XpuGemm.run(x, memory, m, k, n, format);
          roof = Math.min(x.peakTflops(false), opb * pinGBps / 1000);
        } else {
          NearMemoryConfig pim = device.nearMemory(unit).orElseThrow();
          r = NearMemoryGemm.run(pim, memory, m, k, n, format);
          double pathGBps = pinGBps * pathMultiple(pim, standard);
          roof = Math.min(pim.peakFlops(memory.stacks() * standard.org().pseudoChannelsPerStack()) / 1e12,
              opb * pathGBps / 1000);
        }
        RooflinePoint p = new RooflinePoint(unit, format.label(), m, k, n, opb, roof, r);
        points.add(p);
        progress.accept(p);
      }
    }
    return points;
  }

  /** How many times the pins' bandwidth the unit's read path nominally carries (hardware.md). */
  static double pathMultiple(NearMemoryConfig pim, DramStandard standard) {
    return switch (pim.read()) {
      case BUNDLE_READ, BUNDLE_READ_BANKGROUP -> 4.0; // 8 banks x 32 B per tCCD_L vs 32 B per 2 tCK
      case ALLBANK_READ -> 16.0;                      // 32 banks x 32 B per tCCD_AB
      default -> 1.0;
    };
  }
}
