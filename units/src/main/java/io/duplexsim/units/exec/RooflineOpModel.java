package io.duplexsim.units.exec;

import io.duplexsim.isa.Barrier;
import io.duplexsim.isa.Collective;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.interconnect.LinkSpec;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.nearmemory.NearMemoryGemm;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.xpu.XpuConfig;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The analytic fidelity, for comparison only (the authors' released simulator's default): each
 * instruction takes max(flops / peak, bytes / path bandwidth) on its unit, the path bandwidth being
 * the pins (xPU), 4x the pins (Logic-PIM and Bankgroup-PIM bundles) or 16x (Bank-PIM all-bank), capped by
 * the TSV channel's width where the path crosses one (xPU, Logic-PIM);
 * collectives take a ring's 2(p-1) link latencies plus their bytes over the link. Energy: bytes x the
 * path's pJ/bit (hardware.md) plus MACs x 0.46 pJ; links at their pJ/bit.
 */
public final class RooflineOpModel implements OpModel {
  /** Energy keys per unit, built once (every instruction is priced through here). */
  private static final Map<Unit, String> PATH_KEYS = new EnumMap<>(Unit.class);
  private static final Map<Unit, String> MAC_KEYS = new EnumMap<>(Unit.class);

  static {
    for (Unit u : Unit.values()) {
      PATH_KEYS.put(u, "dram.path." + u.label());
      MAC_KEYS.put(u, u.label() + ".mac");
    }
  }

  private final DevicePreset device;
  private final double pinBytesPerSecond;
  private final int pseudoChannels;
  private final SystemPreset system;
  /** The TSV channels' widths cap the xPU's (1x pins) and Logic-PIM's (4x) paths when narrower. */
  private final double tsvXpuWidth;
  private final double tsvPimWidth;

  public RooflineOpModel(DevicePreset device, MemoryConfig memory, SystemPreset system) {
    this.device = device;
    var standard = MemorySystem.standardOf(memory);
    this.pinBytesPerSecond = standard.stackPeakGBps() * memory.stacks() * 1e9;
    this.pseudoChannels = standard.org().pseudoChannelsPerStack() * memory.stacks();
    this.system = system;
    this.tsvXpuWidth = memory.tsvXpuWidth();
    this.tsvPimWidth = memory.tsvPimWidth();
  }

  @Override
  public String fidelity() {
    return "roofline";
  }

  @Override
  public OpResult price(Instruction ins) {
    if (ins instanceof Barrier) {
      return new OpResult(0, 0, 0, 0, 0, 0, 0, "none", 0, Map.of());
    }
    long flops = ins.flops();
    long bytes = ins.bytes();
    if (ins instanceof Collective c) {
      if (system == null) {
        throw new InputException("instruction " + c.id() + ": a collective needs a system (devices and links)");
      }
      boolean crossesNodes = c.group().size() > system.devicesPerNode();
      LinkSpec link = crossesNodes ? system.interNode() : system.intraNode();
      double ns = 2.0 * (c.group().size() - 1) * link.latencyNs() + bytes / link.bandwidthGBps();
      double pj = bytes * 8.0 * link.pjPerBit();
      return result(0, bytes, ns, "link", Map.of("link." + link.name(), pj));
    }
    Unit unit = ins.unit();
    double peak;
    double bandwidth;
    double pjPerBit;
    if (unit == Unit.XPU) {
      XpuConfig x = device.xpuConfig().orElseThrow(() -> missing(ins));
      boolean eight = ins instanceof Gemm g && g.weightFormat().bytesPerElement() == 1.0;
      peak = x.peakTflops(eight) * 1e12;
      bandwidth = Math.min(1, tsvXpuWidth) * pinBytesPerSecond;
      pjPerBit = 3.48;
    } else {
      NearMemoryConfig pim = device.nearMemory(unit.label()).orElseThrow(() -> missing(ins));
      peak = pim.peakFlops(pseudoChannels);
      switch (unit) {
        case LOGIC_PIM -> {
          bandwidth = Math.min(4, tsvPimWidth) * pinBytesPerSecond;
          pjPerBit = 1.81;
        }
        case BANKGROUP_PIM -> {
          bandwidth = 4 * pinBytesPerSecond;
          pjPerBit = 2.68;
        }
        default -> {
          bandwidth = 16 * pinBytesPerSecond;
          pjPerBit = 0.73;
        }
      }
    }
    double computeNs = flops * 1e9 / peak;
    double memoryNs = bytes * 1e9 / bandwidth;
    // in a fixed order (Map.of's varies from run to run, and both keys can land in one energy bucket)
    Map<String, Double> energy = new LinkedHashMap<>();
    energy.put(PATH_KEYS.get(unit), bytes * 8.0 * pjPerBit);
    energy.put(MAC_KEYS.get(unit), flops / 2.0 * NearMemoryGemm.MAC_PJ);
    return result(flops, bytes, Math.max(computeNs, memoryNs), computeNs >= memoryNs ? "compute" : "memory", energy);
  }

  private static OpResult result(long flops, long bytes, double ns, String bound, Map<String, Double> energy) {
    double total = energy.values().stream().mapToDouble(Double::doubleValue).sum();
    return new OpResult((long) Math.ceil(ns), ns, flops, bytes, ns == 0 ? 0 : flops / ns / 1000,
        ns == 0 ? 0 : bytes / ns, 0, bound, total, energy);
  }

  private InputException missing(Instruction ins) {
    return new InputException("instruction " + ins.id() + " runs on " + ins.unit().label() + " but device '"
        + device.name() + "' has no such unit (it has " + device.units() + ")");
  }
}
