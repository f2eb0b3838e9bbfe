package io.duplexsim.units.device;

import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.units.nearmemory.NearMemoryConfig;
import io.duplexsim.units.xpu.XpuConfig;
import io.duplexsim.units.nearmemory.SoftmaxUnitConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named device: a memory system (standard x stacks) and the compute units attached to it, as
 * declared in the bundled {@code devices.yaml}. Load with {@link Devices#load}.
 *
 * @param name preset name ({@code duplex})
 * @param description one-line description
 * @param source where the numbers come from
 * @param standard memory standard name ({@code HBM3-5.2})
 * @param stacks HBM stacks
 * @param mapping the controllers' address mapping
 * @param timing timing overrides of the standard, in cycles (e.g. a power-limited all-bank spacing)
 * @param units unit names in declaration order ({@code xpu}, {@code logic-pim}, ...)
 * @param xpu the xPU parameters, or null if the device has no xPU
 * @param nearMemoryUnits near-memory unit parameters by unit name (logic-pim, bank-pim, bankgroup-pim)
 * @param tsvXpuWidth the conventional TSV channel's width per pseudo-channel, in multiples of its pins
 *     (1 = as built; see {@link MemoryConfig#tsvXpuWidth})
 * @param tsvPimWidth the Logic-PIM TSV channel's width, same unit (Duplex: 4)
 */
public record DevicePreset(String name, String description, String source, String standard, int stacks,
    String mapping, Map<String, Number> timing, List<String> units, XpuConfig xpu, Map<String, Pim> nearMemoryUnits,
    double tsvXpuWidth, double tsvPimWidth) {

  /** Unit names the presets may use. */
  public static final List<String> UNIT_NAMES = List.of("xpu", "logic-pim", "bank-pim", "bankgroup-pim");

  public DevicePreset {
    timing = Map.copyOf(timing);
    units = List.copyOf(units);
    nearMemoryUnits = Map.copyOf(nearMemoryUnits);
  }

  /** Near-memory unit parameters: per pseudo-channel module, and the per-stack softmax unit. */
  public record Pim(int macsPerCycle, int clockMHz, int bufferBytes, SoftmaxUnitConfig softmax) {}

  /** The device's memory system: its standard, stacks and address mapping, all else default. */
  public MemoryConfig memoryConfig() {
    MemoryConfig.Builder b = MemoryConfig.builder(standard).stacks(stacks).mapping(mapping).tsvXpuWidth(tsvXpuWidth)
        .tsvPimWidth(tsvPimWidth);
    timing.forEach(b::timingOverride);
    return b.build();
  }

  public boolean hasUnit(String unit) {
    return units.contains(unit);
  }

  public Optional<XpuConfig> xpuConfig() {
    return Optional.ofNullable(xpu);
  }

  /**
   * The near-memory GEMM configuration of {@code unit} built from this preset's values, for the units
   * {@link io.duplexsim.units.nearmemory.NearMemoryGemm} models: logic-pim (bank-bundle reads over the
   * wide TSVs), bankgroup-pim (bundle reads on the DRAM die) and bank-pim (all-bank reads). Empty if the device lacks the unit or the unit has no such model.
   */
  public Optional<NearMemoryConfig> nearMemory(String unit) {
    Pim p = nearMemoryUnits.get(unit);
    if (p == null) {
      return Optional.empty();
    }
    RequestType read = switch (unit) {
      case "logic-pim" -> RequestType.BUNDLE_READ;
      case "bank-pim" -> RequestType.ALLBANK_READ;
      case "bankgroup-pim" -> RequestType.BUNDLE_READ_BANKGROUP;
      default -> null;
    };
    return read == null
        ? Optional.empty()
        : Optional.of(new NearMemoryConfig(unit, read, p.macsPerCycle(), p.clockMHz(), p.bufferBytes(), p.softmax()));
  }
}
