package io.duplexsim.units.exec;

import io.duplexsim.isa.Collective;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.Unit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which {@link MemoStore} keeps each instruction's price. An op's cycle-level price depends only on the
 * unit that runs it and the memory it runs against ({@link CycleOpModel} passes nothing else), so each unit
 * can have a store keyed by just those: a sweep of Logic-PIM's MACs then simulates no xPU shape twice, and
 * a comparison of GPU, Duplex and Bank-PIM devices with the same xPU and memory shares their xPU shapes.
 * Collectives depend on the whole system (devices and links) and have a store of their own. No store
 * depends on the fidelity or memo's bucketing: a price is kept under exactly the shape it was simulated for.
 */
public final class MemoStores {
  private final Map<Unit, MemoStore> byUnit;
  private final MemoStore system;

  private MemoStores(Map<Unit, MemoStore> byUnit, MemoStore system) {
    this.byUnit = byUnit;
    this.system = system;
  }

  /** Every price in one store. */
  public static MemoStores single(MemoStore store) {
    return new MemoStores(new EnumMap<>(Unit.class), store);
  }

  /**
   * One store per compute unit, as {@code ofUnit} gives (null: the unit's prices go to {@code system}),
   * and collectives' and links' prices in {@code system}.
   */
  public static MemoStores perUnit(Function<Unit, MemoStore> ofUnit, MemoStore system) {
    Map<Unit, MemoStore> byUnit = new EnumMap<>(Unit.class);
    for (Unit u : Unit.values()) {
      MemoStore s = u == Unit.LINK ? null : ofUnit.apply(u);
      if (s != null) {
        byUnit.put(u, s);
      }
    }
    return new MemoStores(byUnit, system);
  }

  /** The store of {@code ins}'s price. */
  MemoStore of(Instruction ins) {
    return ins instanceof Collective ? system : of(ins.unit());
  }

  /** The store of {@code unit}'s prices and of the cycle-level runs they are built from. */
  MemoStore of(Unit unit) {
    return byUnit.getOrDefault(unit, system);
  }

  /** What each store holds ("xpu", "logic-pim", ..., "system": collectives and the rest), in unit order. */
  public Map<String, MemoStore> byName() {
    Map<String, MemoStore> out = new LinkedHashMap<>();
    byUnit.forEach((unit, store) -> out.put(unit.label(), store));
    out.put("system", system);
    return out;
  }

  /** Each store once. */
  List<MemoStore> all() {
    return List.copyOf(new LinkedHashSet<>(byName().values()));
  }
}
