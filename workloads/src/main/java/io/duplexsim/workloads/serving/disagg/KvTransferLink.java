package io.duplexsim.workloads.serving.disagg;

import io.duplexsim.units.interconnect.Fabric;
import io.duplexsim.units.interconnect.Network;
import io.duplexsim.units.interconnect.NetworkOptions;
import io.duplexsim.units.interconnect.NetworkRun;
import io.duplexsim.units.interconnect.TransferSchedule;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;

/**
 * Prices moving one request's KV from the prefill instance to the decode instance: the whole KV
 * (every layer) is sent once the prefill has finished, as point-to-point transfers along the
 * {@link KvTransferRoute}, simulated packet by packet on the system's {@link Fabric} (NVLink inside a
 * node, InfiniBand across): the pairs run at once, each serialised at its ports' bandwidth, so its time
 * is bytes / bandwidth + the link latency + one packet's store-and-forward at the receiving port.
 * Transfers are not pipelined layer by layer with the prefill's compute (Splitwise overlaps them); this
 * is the upper bound of the visible transfer time. A transfer is priced alone; the engine serialises
 * transfers on the link in the order they start. Results are memoised by token count.
 */
public final class KvTransferLink {
  /** One transfer: bytes that crossed the link, its time and its link energy. */
  public record Transfer(long bytes, double timeNs, double energyPj) {}

  private final Fabric fabric;
  private final KvTransferRoute route;
  private final NetworkOptions options;
  private final Int2ObjectOpenHashMap<Transfer> memo = new Int2ObjectOpenHashMap<>();

  private KvTransferLink(Fabric fabric, KvTransferRoute route, NetworkOptions options) {
    this.fabric = fabric;
    this.route = route;
    this.options = options;
  }

  /** Transfers over {@code fabric}'s links, simulated with the network's default packets. */
  public static KvTransferLink over(Fabric fabric, KvTransferRoute route) {
    return over(fabric, route, NetworkOptions.DEFAULT);
  }

  public static KvTransferLink over(Fabric fabric, KvTransferRoute route, NetworkOptions options) {
    for (int k = 0; k < route.pairs(); k++) {
      if (Math.max(route.src()[k], route.dst()[k]) >= fabric.devices()) {
        throw new IllegalArgumentException("route names device " + Math.max(route.src()[k], route.dst()[k])
            + " but the fabric has " + fabric.devices());
      }
    }
    return new KvTransferLink(fabric, route, options);
  }

  /** A free, infinitely fast link (bytes are still counted): the reference disaggregation is compared to. */
  public static KvTransferLink instant(KvTransferRoute route) {
    return new KvTransferLink(null, route, null);
  }

  /** The transfer of a {@code tokens}-token KV. */
  public Transfer price(int tokens) {
    Transfer t = memo.get(tokens);
    if (t == null) {
      t = simulate(tokens);
      memo.put(tokens, t);
    }
    return t;
  }

  private Transfer simulate(int tokens) {
    long bytes = route.bytes(tokens);
    if (fabric == null) {
      return new Transfer(bytes, 0, 0);
    }
    TransferSchedule schedule = new TransferSchedule();
    int c = schedule.newCollective();
    for (int k = 0; k < route.pairs(); k++) {
      schedule.add(c, route.src()[k], route.dst()[k], route.pairBytes(k, tokens));
    }
    NetworkRun run = new Network(fabric, options).run(schedule);
    return new Transfer(bytes, run.timeNs(), run.energyPj());
  }
}
