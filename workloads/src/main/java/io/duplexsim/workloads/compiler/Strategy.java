package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.Names;
import io.duplexsim.isa.Unit;
import io.duplexsim.sim.InputException;

/**
 * How a system maps layers to units (duplex-paper.md, "Systems compared"), as data: where prefill and
 * decode attention run and whether they may overlap, how MoE experts are mapped, and whether experts
 * are tensor-parallel inside a node. 2xGPU is {@link #GPU} on a system with twice the devices.
 */
public enum Strategy {
  /** Everything on the xPU; DeepSpeed-MoE parallelism. */
  GPU(Unit.XPU, Unit.XPU, false, MoeMapping.XPU, false, "xpu"),
  /** One unit active at a time; decode attention, and MoE of decode-only stages, on Logic-PIM. */
  DUPLEX(Unit.XPU, Unit.LOGIC_PIM, false, MoeMapping.PIM_WHEN_DECODE_ONLY, false, "logic-pim"),
  /** Duplex with expert co-processing (lookup-table greedy) and attention co-processing. */
  DUPLEX_PE(Unit.XPU, Unit.LOGIC_PIM, true, MoeMapping.GREEDY, false, "logic-pim"),
  /** Duplex+PE with each expert tensor-parallel over a node's devices, experts spread over nodes. */
  DUPLEX_PE_ET(Unit.XPU, Unit.LOGIC_PIM, true, MoeMapping.GREEDY, true, "logic-pim"),
  /** Decode attention on Bank-PIM (prefill attention cannot run there), the rest on the xPU. */
  BANK_PIM(Unit.XPU, Unit.BANK_PIM, false, MoeMapping.XPU, false, "bank-pim");

  /** Where a device's experts run. */
  public enum MoeMapping {
    /** Always the xPU. */
    XPU,
    /** Logic-PIM when the iteration has no prefill tokens (experts' Op/B ~ their few tokens), else the xPU. */
    PIM_WHEN_DECODE_ONLY,
    /** Per expert, by {@link ExpertCoProcessing}'s greedy over a {@link UnitCostOracle}. */
    GREEDY
  }

  private final Unit prefillAttention;
  private final Unit decodeAttention;
  private final boolean attentionCoProcessing;
  private final MoeMapping moe;
  private final boolean expertTensorParallel;
  private final String nearMemoryUnit;

  Strategy(Unit prefillAttention, Unit decodeAttention, boolean attentionCoProcessing, MoeMapping moe,
      boolean expertTensorParallel, String requiredUnit) {
    this.prefillAttention = prefillAttention;
    this.decodeAttention = decodeAttention;
    this.attentionCoProcessing = attentionCoProcessing;
    this.moe = moe;
    this.expertTensorParallel = expertTensorParallel;
    this.nearMemoryUnit = requiredUnit;
  }

  public Unit prefillAttention() {
    return prefillAttention;
  }

  public Unit decodeAttention() {
    return decodeAttention;
  }

  /** Whether prefill and decode attention of a mixed stage may run at the same time on their units. */
  public boolean attentionCoProcessing() {
    return attentionCoProcessing;
  }

  public MoeMapping moe() {
    return moe;
  }

  /** Whether experts are split column-wise over a node's devices (ET) instead of expert-parallel. */
  public boolean expertTensorParallel() {
    return expertTensorParallel;
  }

  /** The device unit besides the xPU this strategy needs ("xpu" when none). */
  public String requiredUnit() {
    return nearMemoryUnit;
  }

  /** The name: gpu, duplex, duplex-pe, duplex-pe-et, bank-pim. */
  public String label() {
    return Names.of(this);
  }

  /** The strategy called {@code name}; InputException listing the names otherwise. */
  public static Strategy parse(String name) {
    Strategy s = Names.parse(Strategy.class, name);
    if (s == null) {
      throw new InputException("unknown strategy '" + name + "'; expected one of " + Names.choices(Strategy.class));
    }
    return s;
  }
}
