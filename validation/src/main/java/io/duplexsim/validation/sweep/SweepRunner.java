package io.duplexsim.validation.sweep;

import java.util.List;

/**
 * Runs a sweep end to end: skips the runs already in the output folder, hands the rest to an executor,
 * appends each result as it finishes, and rewrites the CSV at the end (also after a failure, with what
 * finished).
 */
public final class SweepRunner {
  /** What a sweep did: runs in the cross product, found done, run now. */
  public record Summary(int total, int resumed, int ran) {}

  private SweepRunner() {}

  public static Summary run(SweepPlan spec, SweepExecutor executor, SweepExecutor.Worker worker,
      SweepResults results, SweepProgress progress) {
    List<SweepPoint> all = spec.points();
    List<SweepPoint> pending = all.stream().filter(p -> !results.isDone(p)).toList();
    int[] ran = {0};
    try {
      executor.run(spec, pending, worker, (p, result, wall) -> {
        results.append(p, spec.scenarioValues(p), result, wall);
        ran[0]++;
        progress.finished(p, wall);
      });
    } finally {
      progress.close();
      results.writeCsv(all);
    }
    return new Summary(all.size(), all.size() - pending.size(), ran[0]);
  }
}
