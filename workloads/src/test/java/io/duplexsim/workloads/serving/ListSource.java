package io.duplexsim.workloads.serving;

import io.duplexsim.workloads.serving.requests.RequestSource;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import java.util.List;

/** A hand-made workload for tests: the given requests, open loop or closed with a concurrency. */
final class ListSource implements RequestSource {
  private final List<RequestSpec> requests;
  private final int concurrency;
  private int next;

  ListSource(int concurrency, RequestSpec... requests) {
    this.requests = List.of(requests);
    this.concurrency = concurrency;
  }

  static ListSource open(RequestSpec... requests) {
    return new ListSource(0, requests);
  }

  @Override
  public RequestSpec next() {
    return next < requests.size() ? requests.get(next++) : null;
  }

  @Override
  public int concurrency() {
    return concurrency;
  }
}
