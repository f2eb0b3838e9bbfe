package io.duplexsim.workloads.serving.requests;

/**
 * Where the serving engine takes requests from, in order. Open-loop sources give arrival times that
 * never decrease; a closed-loop source keeps {@link #concurrency()} requests in the system and the
 * engine stamps each one's arrival when it enters.
 */
public interface RequestSource {
  /** The next request, or null when the workload is exhausted. */
  RequestSpec next();

  /** Requests kept in the system for a closed loop; 0 for an open loop (arrival times are given). */
  int concurrency();
}
