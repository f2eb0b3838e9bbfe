package io.duplexsim.workloads.serving.speculative;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.IterationModel;
import it.unimi.dsi.fastutil.longs.Long2DoubleOpenHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * SmartSpec's T_draft(k) and T_verify(k) for a decode batch of B requests, priced by the simulator's own
 * iteration models on a representative batch: B requests at the batch's mean context, rounded up to a
 * bucket so that a few shapes serve a whole run (each shape is priced once and remembered).
 * T_verify(k): the target's forward over k+1 positions per request; T_draft(k): k draft decode
 * iterations of the batch (0 without a draft model, as for prompt lookup).
 */
final class StepPricer {
  private final IterationModel target;
  private final IterationModel draft;
  private final int bucket;
  private final Long2DoubleOpenHashMap verify = new Long2DoubleOpenHashMap();
  private final Long2DoubleOpenHashMap draftStep = new Long2DoubleOpenHashMap();

  /**
   * @param draft the draft model's iteration model, or null when proposals cost nothing
   * @param bucket context lengths are rounded up to a multiple of this (the KV block size)
   */
  StepPricer(IterationModel target, IterationModel draft, int bucket) {
    this.target = target;
    this.draft = draft;
    this.bucket = Math.max(1, bucket);
  }

  /** Context rounded up to the bucket, at least one bucket. */
  int bucketed(int context) {
    return Math.max(bucket, (context + bucket - 1) / bucket * bucket);
  }

  double verifyNs(int batch, int context, int k) {
    int ctx = bucketed(context);
    long key = ((long) batch << 40) | ((long) ctx << 8) | k;
    double t = verify.getOrDefault(key, -1);
    if (t < 0) {
      t = target.run(uniform(batch, k + 1, ctx + k + 1)).timeNs();
      verify.put(key, t);
    }
    return t;
  }

  double draftNs(int batch, int context, int k) {
    if (draft == null || k == 0) {
      return 0;
    }
    int ctx = bucketed(context);
    long key = ((long) batch << 40) | ctx;
    double t = draftStep.getOrDefault(key, -1);
    if (t < 0) {
      t = draft.run(uniform(batch, 1, ctx + 1)).timeNs();
      draftStep.put(key, t);
    }
    return k * t; // the k draft iterations differ by a few keys each; one bucket prices them all
  }

  /** Shapes priced so far (for tests: the memo keeps this small). */
  int shapes() {
    return verify.size() + draftStep.size();
  }

  private static IterationBatch uniform(int batch, int tokens, int kvLength) {
    List<BatchEntry> entries = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      entries.add(new BatchEntry(i, Phase.DECODE, tokens, kvLength));
    }
    return new IterationBatch(entries);
  }
}
