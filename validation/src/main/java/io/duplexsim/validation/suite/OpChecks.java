package io.duplexsim.validation.suite;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.exec.CycleOpModel;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.units.exec.RooflineOpModel;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.compiler.BatchSpec;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.ExpertRouter;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.compiler.OpCategory;
import io.duplexsim.workloads.compiler.RooflineCostOracle;
import io.duplexsim.workloads.compiler.Strategy;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Duplex paper's op-level facts, measured on what the simulator itself produces: the Op/B of
 * decode MoE and decode attention in compiled iterations (flops / bytes of the instructions), and the
 * Fig. 8 efficiency order of the PIM designs on a 16384 x 4096 FP16 GEMM, each run on its unit.
 */
final class OpChecks {
  private static final String SRC_OPB = "Sec. III (Op/B)";
  private static final String SRC_FIG8 = "Fig. 8";
  /** Fig. 8's Op/B points and the unit with the lowest published EDAP at each. */
  static final int[] FIG8_OPB = {1, 2, 4, 8, 16, 32};
  static final String[] FIG8_BEST = {"bank-pim", "bank-pim", "bank-pim", "logic-pim", "logic-pim", "logic-pim"};

  private final String fidelity;

  OpChecks(String fidelity) {
    this.fidelity = fidelity;
  }

  List<CheckResult> evaluate(String suite) {
    List<CheckResult> out = new ArrayList<>();
    ModelSpec mixtral = Models.load("mixtral-8x7b");
    for (int batch : DuplexMicro24Suite.BATCHES) {
      double expected = (double) batch * mixtral.moe().topK() / mixtral.moe().experts();
      out.add(new CheckResult(suite, "opb.moe-decode.mixtral.b" + batch, SRC_OPB, expected, moeOpB(mixtral, batch), 0.15,
          "expert GEMMs of a decode-only iteration (uniform routing): flops / bytes vs expected tokens per expert"
              + " B*k/N"));
    }
    for (String model : List.of("mixtral-8x7b", "llama-3-70b")) {
      ModelSpec m = Models.load(model);
      double group = (double) m.attention().heads() / m.attention().kvHeads();
      out.add(new CheckResult(suite, "opb.attention-decode." + model, SRC_OPB, group, attentionOpB(m), 0.15,
          "decode attention instructions: flops / bytes vs the GQA group size"));
    }
    out.addAll(fig8(suite));
    return out;
  }

  /** Op/B of the expert GEMMs when {@code batch} requests decode one token each, on one GPU. */
  static double moeOpB(ModelSpec model, int batch) {
    CompiledIteration c = compileDecode(model, batch);
    long flops = 0;
    long bytes = 0;
    InstructionTrace t = c.devices().get(0);
    OpCategory[] cats = c.categories().get(0);
    for (int i = 0; i < t.size(); i++) {
      Instruction ins = t.get(i);
      // expert FFN GEMMs (the router's gate GEMM has d_model x experts weights and is not an expert)
      if (cats[i] == OpCategory.MOE && ins instanceof Gemm g && g.n() != model.moe().experts()) {
        flops += ins.flops();
        bytes += ins.bytes();
      }
    }
    return bytes == 0 ? Double.NaN : (double) flops / bytes;
  }

  static double attentionOpB(ModelSpec model) {
    CompiledIteration c = compileDecode(model, 16);
    long flops = 0;
    long bytes = 0;
    for (Instruction ins : c.devices().get(0).instructions()) {
      if (ins instanceof Attention a && a.phase() == AttentionPhase.DECODE) {
        flops += ins.flops();
        bytes += ins.bytes();
      }
    }
    return bytes == 0 ? Double.NaN : (double) flops / bytes;
  }

  private static CompiledIteration compileDecode(ModelSpec model, int batch) {
    SystemPreset one = Systems.of("gpu", 1, 1);
    LayerCompiler compiler = new LayerCompiler(ExpertRouter.parse("uniform:1"),
        RooflineCostOracle.nominal(one.device(), WeightFormat.BF16));
    return compiler.compile(model, one, Strategy.parse("gpu"), WeightFormat.BF16,
        BatchSpec.parse("decode:" + batch + "x1024"));
  }

  /** Fig. 8: at each Op/B, the PIM design with the lowest energy x delay (area is not modelled). */
  private List<CheckResult> fig8(String suite) {
    String[][] designs = {{"bank-pim", "bank-pim"}, {"bankgroup-pim", "bankgroup-pim"}, {"duplex", "logic-pim"}};
    List<OpModel> models = new ArrayList<>();
    for (String[] d : designs) {
      DevicePreset device = Devices.load(d[0]);
      SystemPreset system = Systems.of(d[0], 1, 1);
      models.add(fidelity.equals("roofline") ? new RooflineOpModel(device, device.memoryConfig(), system)
          : new CycleOpModel(device, device.memoryConfig(), system));
    }
    List<CheckResult> out = new ArrayList<>();
    for (int p = 0; p < FIG8_OPB.length; p++) {
      int m = FIG8_OPB[p];
      String best = null;
      double bestEdp = Double.POSITIVE_INFINITY;
      StringBuilder note = new StringBuilder("energy x delay of a " + m + " x 4096 x 16384 BF16 GEMM:");
      for (int d = 0; d < designs.length; d++) {
        Unit unit = Unit.parse(designs[d][1]);
        OpResult r = models.get(d).price(new Gemm(0, unit, IntSeq.empty(), m, 4096, 16384,
            WeightFormat.BF16.weights(), WeightFormat.BF16.activations(), null, null, null));
        double edp = r.energyPj() * r.timeNs();
        note.append(String.format(Locale.ROOT, " %s %.3g", designs[d][1], edp));
        if (edp < bestEdp) {
          bestEdp = edp;
          best = designs[d][1];
        }
      }
      note.append(" pJ.ns; published lowest EDAP: ").append(FIG8_BEST[p])
          .append(" (area, which the paper multiplies in, is not modelled)");
      out.add(CheckResult.claim(suite, "fig8.best-at-opb-" + m, SRC_FIG8, FIG8_BEST[p].equals(best), note.toString()));
    }
    return out;
  }
}
