package io.duplexsim.workloads.serving.recursive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.exec.RooflineOpModel;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.compiler.Strategy;
import io.duplexsim.workloads.compiler.UniformRouter;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.Models;
import io.duplexsim.workloads.model.RecursiveSpec;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.RequestRecord;
import io.duplexsim.workloads.serving.ServingOptions;
import io.duplexsim.workloads.serving.ServingPolicies;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.workloads.serving.ServingSimulation;
import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.RequestSource;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import io.duplexsim.workloads.system.SystemIterationModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Continuous depth-wise batching of a recursive TinyLlama (22 layers = 11 shared x 2 loops) on one GPU at
 * roofline fidelity, against sequence-wise batching of the same model unrolled.
 */
class RecursiveBatchingTest {
  private static final ModelSpec TINY = Models.preset("tinyllama-1.1b");
  private static final SystemPreset GPU = Systems.of("gpu", 1, 1);
  private static final RooflineOpModel ROOF = new RooflineOpModel(GPU.device(), GPU.device().memoryConfig(), GPU);
  private static final ServingOptions OPTIONS = ServingOptions.DEFAULTS.withMaxNumSeqs(8);
  private static final KvCapacity ROOMY = new KvCapacity(100_000, 16, 1024, 1);

  /** A run and the work its compiled iterations held. */
  private record Run(ServingResult result, long flops, long bytes) {}

  private static Run serve(RecursiveBatching.Mode mode, int rank, double exit, RequestSource requests, KvCapacity kv,
      long seed) {
    RecursiveSpec spec = new RecursiveSpec(2, rank);
    LayerCompiler compiler = new LayerCompiler(new UniformRouter(7), null);
    long[] work = new long[2];
    RecursiveBatching batching = new RecursiveBatching(TINY, spec, mode, new double[] {exit}, seed, (batch, plan) -> {
      CompiledIteration c = compiler.compile(TINY, GPU, Strategy.GPU, WeightFormat.BF16, batch, id -> true, plan);
      for (InstructionTrace t : c.devices()) {
        work[0] += t.instructions().stream().mapToLong(Instruction::flops).sum();
        work[1] += t.instructions().stream().mapToLong(Instruction::bytes).sum();
      }
      return c;
    });
    ServingResult r = ServingSimulation.run(OPTIONS, requests, new SystemIterationModel(batching, ROOF), kv,
        ServingPolicies.NONE.withLoops(batching));
    return new Run(r, work[0], work[1]);
  }

  private static RequestSource lockstep() {
    return new SyntheticRequests(6, new LengthDistribution.Fixed(24), new LengthDistribution.Fixed(6),
        new ArrivalProcess.Closed(6), 1);
  }

  private static RequestSource staggered(long seed) {
    return new SyntheticRequests(12, new LengthDistribution.Uniform(8, 40), new LengthDistribution.Uniform(2, 12),
        new ArrivalProcess.Poisson(2000), seed);
  }

  @SuppressWarnings("unchecked")
  private static List<Long> exits(ServingResult r) {
    return (List<Long>) r.policyMetrics().get("exits_per_loop");
  }

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-9 * Math.abs(expected), what);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 8})
  void depthwiseWithoutExitsEqualsSequenceWiseOfTheUnrolledModelInLockstep(int rank) {
    // All requests start together and stay at one depth, so B depth-wise iterations are exactly one
    // sequence-wise iteration cut at the loop boundary: same work, and (ops priced one after another on
    // the xPU) the same time, token for token.
    Run seq = serve(RecursiveBatching.Mode.SEQUENCE, rank, 0, lockstep(), ROOMY, 1);
    Run depth = serve(RecursiveBatching.Mode.DEPTH, rank, 0, lockstep(), ROOMY, 1);
    assertEquals(2 * seq.result().iterations(), depth.result().iterations());
    assertEquals(seq.flops(), depth.flops());
    assertEquals(seq.bytes(), depth.bytes());
    assertEquals(seq.result().generatedTokens(), depth.result().generatedTokens());
    for (int i = 0; i < seq.result().perRequest().size(); i++) {
      RequestRecord a = seq.result().perRequest().get(i);
      RequestRecord b = depth.result().perRequest().get(i);
      assertEquals(a.outputTokens(), b.outputTokens());
      assertClose(a.firstTokenNs(), b.firstTokenNs(), "first token of request " + a.id());
      assertClose(a.finishNs(), b.finishNs(), "finish of request " + a.id());
    }
    assertClose(seq.result().energyPj(), depth.result().energyPj(), "energy");
    assertEquals(List.of(0L, 30L), exits(depth.result()), "6 requests x 5 decode tokens, all after loop 2");
    assertEquals(exits(seq.result()), exits(depth.result()));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void depthwiseWithoutExitsDoesTheUnrolledModelsWorkPerTokenWhenArrivalsAreStaggered(long seed) {
    // Requests at different depths share an iteration, so iterations and their timing differ by
    // construction (the shared block is read once for both depths); the tokens and the arithmetic each
    // token needs - every layer of every loop, its adapters, its attention over its context - do not.
    Run seq = serve(RecursiveBatching.Mode.SEQUENCE, 8, 0, staggered(seed), ROOMY, seed);
    Run depth = serve(RecursiveBatching.Mode.DEPTH, 8, 0, staggered(seed), ROOMY, seed);
    assertEquals(seq.flops(), depth.flops());
    assertEquals(seq.result().generatedTokens(), depth.result().generatedTokens());
    for (int i = 0; i < seq.result().perRequest().size(); i++) {
      assertEquals(seq.result().perRequest().get(i).outputTokens(), depth.result().perRequest().get(i).outputTokens());
    }
    assertEquals(2.0, depth.result().policyMetrics().get("mean_loops_per_token"));
    assertEquals(0L, exits(depth.result()).get(0));
    assertEquals(depth.result().generatedTokens() - depth.result().requests(), exits(depth.result()).get(1));
    assertTrue((double) depth.result().policyMetrics().get("adapter_sets_per_layer_per_iteration") > 1,
        "some iterations gather both loops' adapters");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void earlyExitsAreDeterministicPerSeedAndCountedPerLoop(long seed) {
    Run a = serve(RecursiveBatching.Mode.DEPTH, 8, 0.5, staggered(seed), ROOMY, seed);
    Run b = serve(RecursiveBatching.Mode.DEPTH, 8, 0.5, staggered(seed), ROOMY, seed);
    assertEquals(a.result().toJson(), b.result().toJson());
    assertEquals(a.result().perRequest(), b.result().perRequest());
    List<Long> exits = exits(a.result());
    long decodeTokens = a.result().generatedTokens() - a.result().requests();
    assertEquals(decodeTokens, exits.get(0) + exits.get(1));
    assertTrue(exits.get(0) > 0 && exits.get(1) > 0, exits.toString());
    assertEquals((exits.get(0) + 2.0 * exits.get(1)) / decodeTokens, a.result().policyMetrics().get(
        "mean_loops_per_token"));
    Run other = serve(RecursiveBatching.Mode.DEPTH, 8, 0.5, staggered(seed), ROOMY, seed + 100);
    assertNotEquals(exits, exits(other.result()), "the exit draws follow the seed");
  }

  @Test
  void exitingAfterTheFirstLoopFreesTheSlotAndRaisesThroughput() {
    Run none = serve(RecursiveBatching.Mode.DEPTH, 8, 0, lockstep(), ROOMY, 1);
    Run all = serve(RecursiveBatching.Mode.DEPTH, 8, 1, lockstep(), ROOMY, 1);
    assertEquals(List.of(30L, 0L), exits(all.result()));
    assertEquals(1.0, all.result().policyMetrics().get("mean_loops_per_token"));
    assertTrue(all.result().simTimeNs() < none.result().simTimeNs());
    assertTrue(all.flops() < none.flops());
    // sequence-wise batching keeps an exited token in the batch to the end of the pass: no gain
    Run seqAll = serve(RecursiveBatching.Mode.SEQUENCE, 8, 1, lockstep(), ROOMY, 1);
    Run seqNone = serve(RecursiveBatching.Mode.SEQUENCE, 8, 0, lockstep(), ROOMY, 1);
    assertEquals(seqNone.result().simTimeNs(), seqAll.result().simTimeNs());
    assertEquals(List.of(30L, 0L), exits(seqAll.result()));
  }

  @Test
  void aPreemptedRequestRestartsItsLoopsAndEveryRequestFinishes() {
    KvCapacity tight = new KvCapacity(8, 16, 1024, 1);
    RequestSource heavy = new SyntheticRequests(10, new LengthDistribution.Fixed(24), new LengthDistribution.Fixed(40),
        new ArrivalProcess.Closed(4), 5);
    ServingResult r = serve(RecursiveBatching.Mode.DEPTH, 8, 0.3, heavy, tight, 5).result();
    assertTrue(r.preemptions() > 0, "the workload must preempt to test anything");
    assertEquals(10, r.requests());
    assertEquals(400, r.generatedTokens());
  }

  @Test
  void impossibleExitProbabilitiesAreRejectedNamingTheKey() {
    RecursiveSpec spec = new RecursiveSpec(2, 0);
    InputException e = assertThrows(InputException.class, () -> new RecursiveBatching(TINY, spec,
        RecursiveBatching.Mode.DEPTH, new double[] {1.5}, 1, (b, p) -> null));
    assertTrue(e.getMessage().startsWith("recursive-exit-probs"), e.getMessage());
    assertThrows(InputException.class, () -> new RecursiveBatching(TINY, spec, RecursiveBatching.Mode.DEPTH,
        new double[] {0.1, 0.2}, 1, (b, p) -> null));
    assertThrows(InputException.class, () -> RecursiveBatching.Mode.parse("diagonal", "recursive-batching"));
  }
}
