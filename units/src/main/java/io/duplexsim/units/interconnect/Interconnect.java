package io.duplexsim.units.interconnect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point: simulate collectives on a {@link Fabric}. Each call builds a fresh {@link Network},
 * compiles the requests into one {@link TransferSchedule} and runs it packet by packet; requests
 * passed together start at cycle 0 and contend for the same ports.
 */
public final class Interconnect {
  private Interconnect() {}

  public static CollectiveResult simulate(Fabric fabric, CollectiveRequest request) {
    return simulate(fabric, request, NetworkOptions.DEFAULT);
  }

  public static CollectiveResult simulate(Fabric fabric, CollectiveRequest request, NetworkOptions options) {
    return simulateTogether(fabric, List.of(request), options).get(0);
  }

  /**
   * Runs {@code requests} at the same time on one network; each result's time is until its own
   * last transfer, its bytes and energy are its own packets'; the busiest port is over the whole run.
   */
  public static List<CollectiveResult> simulateTogether(Fabric fabric, List<CollectiveRequest> requests,
      NetworkOptions options) {
    TransferSchedule schedule = new TransferSchedule();
    List<String> algorithms = new ArrayList<>();
    for (CollectiveRequest r : requests) {
      algorithms.add(CollectivePlanner.plan(schedule, fabric, r));
    }
    Network network = new Network(fabric, options);
    NetworkRun run = network.run(schedule);
    int k = schedule.collectives();
    long[][] sent = new long[k][fabric.devices()];
    int[] transfers = new int[k];
    for (int t = 0; t < schedule.size(); t++) {
      sent[schedule.collectiveOf(t)][schedule.src(t)] += schedule.bytes(t);
      transfers[schedule.collectiveOf(t)]++;
    }
    List<CollectiveResult> results = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      CollectiveRequest r = requests.get(i);
      long cycles = run.collectiveDoneCycle()[i];
      double ns = network.nsOf(cycles);
      double alg = ns == 0 ? 0 : r.payloadBytes() / ns;
      long maxSent = 0;
      for (long b : sent[i]) {
        maxSent = Math.max(maxSent, b);
      }
      Map<String, Long> bytes = new LinkedHashMap<>();
      Map<String, Double> energy = new LinkedHashMap<>();
      double total = 0;
      for (int c = 0; c < 2; c++) {
        String name = run.linkNames()[c];
        bytes.merge(name, run.collectiveLinkBytes()[i][c], Long::sum);
        energy.merge("link." + name, run.collectiveEnergyPj()[i][c], Double::sum);
        total += run.collectiveEnergyPj()[i][c];
      }
      String bound = run.busiestPortFraction() >= CollectiveResult.LINK_BOUND_FRACTION ? "link" : "latency";
      results.add(new CollectiveResult(r, algorithms.get(i), cycles, ns, alg, alg * r.op().busFactor(r.size()),
          maxSent, bytes, total, energy, bound, run.busiestPort(), run.busiestPortFraction(), transfers[i],
          run.packets()));
    }
    return results;
  }
}
