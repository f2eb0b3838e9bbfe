package io.duplexsim.workloads.serving.disagg;

import io.duplexsim.workloads.compiler.BatchEntry;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.ServingOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * What the prefill and the decode instance share: their devices' KV capacity and the blocks in use,
 * the requests running and those scheduled in the current iteration with its batch entries, the
 * preemption counts, and the end of the iteration in progress.
 */
abstract class ServingInstance {
  final ServingOptions options;
  final KvCapacity capacity;
  final List<DisaggRequest> running = new ArrayList<>();
  final InstanceLedger ledger = new InstanceLedger();
  final List<DisaggRequest> scheduled = new ArrayList<>();
  final List<BatchEntry> entries = new ArrayList<>();
  long used;
  long preemptions;
  int preemptedThisIteration;
  /** End of the iteration in progress; NaN while idle. */
  double busyUntilNs = Double.NaN;

  ServingInstance(ServingOptions options, KvCapacity capacity) {
    this.options = options;
    this.capacity = capacity;
  }

  boolean idle() {
    return Double.isNaN(busyUntilNs);
  }

  long free() {
    return capacity.blocks() - used;
  }
}
