package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.isa.exec.UnitRoofline;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import java.util.EnumMap;
import java.util.Map;

/**
 * An analytic lookup table: an expert's GEMMs at max(flops / peak, bytes / bandwidth) each, summed.
 * For the {@code compile} command and tests; the serving engine should pass an oracle built from the
 * cycle-level unit models instead.
 */
public final class RooflineCostOracle implements UnitCostOracle {
  private final Map<Unit, UnitRoofline> rooflines;

  public RooflineCostOracle(Map<Unit, UnitRoofline> rooflines) {
    this.rooflines = Map.copyOf(new EnumMap<>(rooflines));
  }

  /**
   * Nominal ceilings of a device's units: the xPU at its dense peak (8-bit when {@code weights} are
   * W8A8) and the pins' bandwidth; near-memory units at their modules' peak and their read path's
   * multiple of the pins (hardware.md: bank bundles 4x, all-bank reads 16x).
   */
  public static RooflineCostOracle nominal(DevicePreset device, WeightFormat weights) {
    MemoryConfig memory = device.memoryConfig();
    DramStandard standard = MemorySystem.standardOf(memory);
    double pinBytesPerS = standard.stackPeakGBps() * device.stacks() * 1e9;
    boolean eightBit = weights.activations().dataType().bits() == 8;
    Map<Unit, UnitRoofline> r = new EnumMap<>(Unit.class);
    device.xpuConfig().ifPresent(x -> r.put(Unit.XPU, new UnitRoofline(x.peakTflops(eightBit) * 1e12, pinBytesPerS)));
    for (String name : device.units()) {
      NearMemoryConfig pim = device.nearMemory(name).orElse(null);
      if (pim == null) {
        continue;
      }
      double multiple = switch (pim.read()) {
        case BUNDLE_READ, BUNDLE_READ_BANKGROUP -> 4.0;
        case ALLBANK_READ -> 16.0;
        default -> 1.0;
      };
      int pseudoChannels = device.stacks() * standard.org().pseudoChannelsPerStack();
      r.put(Unit.parse(name), new UnitRoofline(pim.peakFlops(pseudoChannels), pinBytesPerS * multiple));
    }
    return new RooflineCostOracle(r);
  }

  @Override
  public double expertNs(Unit unit, ExpertShape shape, int tokens) {
    UnitRoofline r = rooflines.get(unit);
    if (r == null) {
      throw new IllegalArgumentException("no roofline for unit " + unit.label());
    }
    WeightFormat f = shape.weights();
    Gemm in = new Gemm(0, unit, IntSeq.empty(), tokens, shape.dModel(), shape.columns(), f.weights(), f.activations(),
        null, null, null);
    Gemm down = new Gemm(0, unit, IntSeq.empty(), tokens, shape.columns(), shape.dModel(), f.weights(),
        f.activations(), null, null, null);
    return (shape.matrices() - 1) * r.durationNs(in.flops(), in.bytes()) + r.durationNs(down.flops(), down.bytes());
  }
}
