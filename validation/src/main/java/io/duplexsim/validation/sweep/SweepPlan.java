package io.duplexsim.validation.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a sweep runs: its points (the cross product of the varied fields) and each point's full settings.
 * A serving sweep's settings are a scenario's values ({@link SweepSpec}); a memory sweep's are a memory
 * simulation's config keys. The runner, executors and results folder need nothing else.
 */
public interface SweepPlan {
  /** The sweep file, named in messages. */
  Path file();

  /** Every run, the last varied field varying fastest. */
  List<SweepPoint> points();

  /** The settings the run of {@code point} is made from (what sweep.jsonl records as its "scenario"). */
  Map<String, String> scenarioValues(SweepPoint point);
}
