package io.duplexsim.workloads.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.units.exec.RooflineOpModel;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.compiler.BatchSpec;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.compiler.RooflineCostOracle;
import io.duplexsim.workloads.compiler.Strategy;
import io.duplexsim.workloads.compiler.ZipfRouter;
import io.duplexsim.workloads.model.Models;
import io.duplexsim.workloads.serving.IterationCost;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pricing placed segments gives exactly what running the whole traces gives, from segment summaries or
 * instruction by instruction.
 */
class SegmentReplayTest {
  @ParameterizedTest
  @MethodSource("io.duplexsim.workloads.compiler.CompileCases#iterations")
  void replayingSegmentsEqualsRunningTheTraces(String model, String systemName, Strategy strategy, String batch) {
    SystemPreset system = Systems.load(systemName);
    IterationBatch b = BatchSpec.parse(batch);
    LayerCompiler compiler = new LayerCompiler(new ZipfRouter(1.2, 5),
        RooflineCostOracle.nominal(system.device(), WeightFormat.BF16));
    var memory = system.device().memoryConfig();
    ShapeHashModel hashed = new ShapeHashModel();
    for (OpModel ops : new OpModel[] {new RooflineOpModel(system.device(), memory, system), hashed}) {
      for (int iteration = 0; iteration < 3; iteration++) { // later iterations find segments priced before
        CompiledIteration c = compiler.compile(Models.load(model), system, strategy, WeightFormat.BF16, b);
        for (boolean overlap : new boolean[] {true, false}) {
          SystemIterationModel m = new SystemIterationModel(x -> c, ops, IterationObserver.NONE, overlap);
          IterationCost replayed = m.replay(c);
          IterationCost traced = m.runTraces(c);
          assertEquals(traced, replayed, ops.fidelity() + ", overlap " + overlap + ", iteration " + iteration);
          IterationCost each = new SystemIterationModel(x -> c, ops, IterationObserver.NONE, overlap)
              .withoutSummaries().replay(c);
          assertEquals(traced, each, "instruction by instruction, " + ops.fidelity() + ", overlap " + overlap);
          assertEquals(traced, m.run(b));
        }
      }
    }
    // attention co-processing happens in Duplex+PE's mixed stages, and is priced as pairs
    boolean coProcessing = strategy.attentionCoProcessing() && batch.contains("decode") && batch.contains("prefill");
    assertEquals(coProcessing, hashed.pairs > 0, hashed.pairs + " pairs");
  }

  /**
   * Prices from a hash of the shape: irregular durations (so overlaps, unit queues and the max over deps
   * all matter) and several energy keys per instruction, in an order that depends on the shape; Duplex+PE's
   * attention pairs take longer together, by a factor hashed from both shapes.
   */
  private static final class ShapeHashModel implements OpModel {
    int pairs;

    @Override
    public OpResult[] priceTogether(Attention onXpu, Attention onNearMemory, OpResult xpuAlone,
        OpResult nearMemoryAlone) {
      pairs++;
      int h = onXpu.withHeader(0, IntSeq.empty()).hashCode() ^ onNearMemory.withHeader(0, IntSeq.empty()).hashCode();
      double f = 1 + (h & 0xff) / 1000.0;
      return new OpResult[] {slower(xpuAlone, f), slower(nearMemoryAlone, 2 * f - 1)};
    }

    private static OpResult slower(OpResult alone, double f) {
      return new OpResult(alone.unitCycles(), f * alone.timeNs(), alone.flops(), alone.bytes(), 0, 0, 0,
          alone.bound(), alone.energyPj(), alone.energyBreakdownPj());
    }

    @Override
    public String fidelity() {
      return "shape-hash";
    }

    @Override
    public OpResult price(Instruction ins) {
      int h = ins.withHeader(0, IntSeq.empty()).hashCode();
      double ns = 1 + (h & 0xffff) / 7.0;
      Map<String, Double> energy = new LinkedHashMap<>();
      String[] keys = {"dram.act", "xpu.mac", "tsv.xpu", "link.nvlink", "lane"};
      for (int k = 0; k < 1 + (h >>> 16 & 3); k++) {
        energy.put(keys[(k + (h >>> 20 & 7)) % keys.length], (h >>> k & 0xfff) / 3.0);
      }
      return new OpResult(1, ns, ins.flops(), ins.bytes(), 0, 0, 0, "compute",
          energy.values().stream().mapToDouble(Double::doubleValue).sum(), energy);
    }
  }
}
