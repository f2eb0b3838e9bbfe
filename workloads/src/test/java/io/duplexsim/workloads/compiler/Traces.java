package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Compiling and querying traces in tests. */
final class Traces {
  private Traces() {}

  /** A roofline oracle of the duplex device, for strategies that need one. */
  static final UnitCostOracle ORACLE =
      RooflineCostOracle.nominal(Systems.load("duplex-1x4").device(), WeightFormat.BF16);

  static CompiledIteration compile(String model, SystemPreset system, Strategy strategy, String batch) {
    return compile(Models.load(model), system, strategy, WeightFormat.BF16, batch, new UniformRouter(7));
  }

  static CompiledIteration compile(ModelSpec model, SystemPreset system, Strategy strategy, WeightFormat w,
      String batch, ExpertRouter router) {
    return new LayerCompiler(router, ORACLE).compile(model, system, strategy, w, BatchSpec.parse(batch));
  }

  /** Instructions of {@code type} on device {@code d} in category {@code cat} (null: any). */
  static <T extends Instruction> List<T> of(CompiledIteration c, int d, Class<T> type, OpCategory cat) {
    return of(c, d, type, cat, x -> true);
  }

  static <T extends Instruction> List<T> of(CompiledIteration c, int d, Class<T> type, OpCategory cat,
      Predicate<T> filter) {
    InstructionTrace t = c.devices().get(d);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      Instruction ins = t.get(i);
      if (type.isInstance(ins) && (cat == null || c.categories().get(d)[i] == cat) && filter.test(type.cast(ins))) {
        out.add(type.cast(ins));
      }
    }
    return out;
  }

  static long flops(List<? extends Instruction> list) {
    return list.stream().mapToLong(Instruction::flops).sum();
  }
}
