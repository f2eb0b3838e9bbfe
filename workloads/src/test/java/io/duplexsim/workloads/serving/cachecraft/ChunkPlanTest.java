package io.duplexsim.workloads.serving.cachecraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkPlanTest {
  /** A random plan: chunks of 64 positions computing 0..64 tokens (some early-terminated), then a question. */
  private static ChunkPlan random(SplittableRandom rng) {
    int chunks = rng.nextInt(0, 6);
    int target = chunks * 64 + rng.nextInt(1, 100);
    ChunkPlan plan = new ChunkPlan(target);
    for (int i = 0; i < chunks; i++) {
      int c = rng.nextBoolean() ? 64 : rng.nextInt(0, 65);
      plan.piece(i * 64, i * 64 + 64, c, rng.nextBoolean() ? 5 : BatchEntry.ALL_LAYERS,
          rng.nextBoolean() ? StorageTier.DRAM : null);
    }
    plan.piece(chunks * 64, target, target - chunks * 64, BatchEntry.ALL_LAYERS, null);
    return plan;
  }

  /** Chunked by random budgets, a prefill computes each token once, never over budget, always progressing. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void budgetedAdvancesComputeEveryTokenOnceWithinBudget(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (int trial = 0; trial < 100; trial++) {
      ChunkPlan plan = random(rng);
      int total = plan.computeRemaining(0);
      int pos = 0;
      int computed = 0;
      while (pos < plan.target()) {
        int budget = rng.nextInt(1, 80);
        int kv = plan.advance(pos, budget);
        assertTrue(kv > 0, "progress");
        int c = plan.compute(pos, pos + kv);
        assertTrue(c >= 1 && c <= budget, () -> "computes " + c + " within " + budget);
        List<BatchEntry> entries = new ArrayList<>();
        plan.entries(0, pos, pos + kv, entries, new ArrayList<>());
        assertEquals(c, entries.stream().mapToInt(BatchEntry::tokens).sum());
        for (BatchEntry e : entries) {
          assertTrue(e.phase() == Phase.PREFILL && e.kvLength() <= pos + kv && e.kvLength() > pos);
        }
        computed += c;
        pos += kv;
      }
      assertEquals(plan.target(), pos);
      assertEquals(total, computed);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 100, 5000})
  void aPlanThatReusesNothingIsOneEntryLikeThePlainEngine(int budget) {
    ChunkPlan plan = new ChunkPlan(700);
    for (int i = 0; i < 5; i++) {
      plan.piece(i * 128, i * 128 + 128, 128, BatchEntry.ALL_LAYERS, null);
    }
    plan.piece(640, 700, 60, BatchEntry.ALL_LAYERS, null);
    assertEquals(1, plan.pieces());
    int kv = plan.advance(0, budget);
    assertEquals(Math.min(budget, 700), kv);
    List<BatchEntry> entries = new ArrayList<>();
    plan.entries(9, 0, kv, entries, new ArrayList<>());
    assertEquals(List.of(new BatchEntry(9, Phase.PREFILL, kv, kv)), entries);
  }
}
