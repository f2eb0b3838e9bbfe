package io.duplexsim.workloads.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.model.Models;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SharedLayersTest {
  @ParameterizedTest
  @MethodSource("io.duplexsim.workloads.compiler.CompileCases#iterations")
  void sharingEqualLayersCompilesTheSameTraces(String model, String system, Strategy strategy, String batch) {
    IterationBatch b = BatchSpec.parse(batch);
    CompiledIteration shared = new LayerCompiler(new UniformRouter(3), Traces.ORACLE)
        .compile(Models.load(model), Systems.load(system), strategy, WeightFormat.BF16, b);
    CompiledIteration each = new LayerCompiler(new UniformRouter(3), Traces.ORACLE).withoutSharedLayers()
        .compile(Models.load(model), Systems.load(system), strategy, WeightFormat.BF16, b);
    assertEquals(each.devices(), shared.devices());
    for (int d = 0; d < each.deviceCount(); d++) {
      assertArrayEquals(each.categories().get(d), shared.categories().get(d), "device " + d);
    }
    // the attention segment is emitted once per device, not once per layer
    Set<LayerSegment> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    shared.placements(0).forEach(p -> distinct.add(p.segment()));
    int layers = Models.load(model).layers();
    int placed = shared.placements(0).size();
    assertTrue(distinct.size() <= placed - (layers - 1), distinct.size() + " segments for " + placed + " placements");
  }

  static Stream<Arguments> sequences() {
    return Stream.of(Arguments.of("mixtral-8x7b", "duplex-1x4", Strategy.DUPLEX_PE),
        Arguments.of("mixtral-8x7b", "duplex-1x4", Strategy.DUPLEX),
        Arguments.of("grok-1", "gpu-2x8", Strategy.GPU),
        Arguments.of("grok-1", "duplex-2x8", Strategy.DUPLEX_PE_ET),
        Arguments.of("llama-3-70b", "gpu-1x4", Strategy.GPU));
  }

  @ParameterizedTest
  @MethodSource("sequences")
  void segmentsKeptForLaterIterationsCompileTheSameTraces(String model, String system, Strategy strategy) {
    // one compiler over a run of different batches (token counts, phases, sizes): a segment kept from an
    // earlier iteration must be exactly what this iteration would emit
    LayerCompiler shared = new LayerCompiler(new UniformRouter(9), Traces.ORACLE);
    LayerCompiler each = new LayerCompiler(new UniformRouter(9), Traces.ORACLE).withoutSharedLayers();
    java.util.Random rnd = new java.util.Random(4);
    var spec = Models.load(model);
    var preset = Systems.load(system);
    for (int iteration = 0; iteration < 12; iteration++) {
      String batch = "decode:" + (1 + rnd.nextInt(40)) + "x" + (16 + rnd.nextInt(500))
          + (rnd.nextBoolean() ? ",prefill:" + (1 + rnd.nextInt(2)) + "x" + (1 + rnd.nextInt(200)) : "");
      IterationBatch b = BatchSpec.parse(batch);
      CompiledIteration a = shared.compile(spec, preset, strategy, WeightFormat.BF16, b);
      CompiledIteration e = each.compile(spec, preset, strategy, WeightFormat.BF16, b);
      assertEquals(e.devices(), a.devices(), batch);
    }
  }
}
