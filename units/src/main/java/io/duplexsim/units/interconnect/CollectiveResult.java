package io.duplexsim.units.interconnect;

import io.duplexsim.units.OpResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one simulated collective reports; every figure comes out of the packet simulation.
 *
 * @param request what was asked
 * @param algorithm the algorithm as run ("ring", "hierarchical ring (2 nodes x 8)")
 * @param cycles link-clock cycles from the start until its last transfer was received
 * @param timeNs the same in ns
 * @param algBandwidthGBps payload / time (NCCL's algorithm bandwidth), GB/s
 * @param busBandwidthGBps algorithm bandwidth x the op's bus factor (NCCL's bus bandwidth), GB/s
 * @param maxBytesSentPerDevice the most bytes any device of the group sent
 * @param bytesByLink bytes that crossed each link class (nvlink, infiniband), summed over devices
 * @param energyPj total link energy
 * @param energyBreakdownPj energy by category (link.nvlink, link.infiniband)
 * @param bound "link" if some port was busy at least half the time, else "latency"
 * @param busiestPort the port that spent the most time sending or receiving, over the whole run
 * @param busiestPortFraction its busy time over the run's time
 * @param transfers point-to-point transfers the algorithm made
 * @param packets packets serialised by all ports during the run
 */
public record CollectiveResult(CollectiveRequest request, String algorithm, long cycles, double timeNs,
    double algBandwidthGBps, double busBandwidthGBps, long maxBytesSentPerDevice, Map<String, Long> bytesByLink,
    double energyPj, Map<String, Double> energyBreakdownPj, String bound, String busiestPort,
    double busiestPortFraction, int transfers, long packets) {

  /** Below this busy fraction of the busiest port, latency, not bandwidth, set the time. */
  public static final double LINK_BOUND_FRACTION = 0.5;

  public CollectiveResult {
    bytesByLink = Collections.unmodifiableMap(new LinkedHashMap<>(bytesByLink));
    energyBreakdownPj = Collections.unmodifiableMap(new LinkedHashMap<>(energyBreakdownPj));
  }

  /** Bytes that crossed all links. */
  public long linkBytes() {
    long b = 0;
    for (long v : bytesByLink.values()) {
      b += v;
    }
    return b;
  }

  /**
   * The same run as the operator result every unit reports: no flops; bytes are the most any
   * device sent, achieved GB/s those bytes over the time, busy fraction the busiest port's.
   */
  public OpResult toOpResult() {
    double gbps = timeNs == 0 ? 0 : maxBytesSentPerDevice / timeNs;
    return new OpResult(cycles, timeNs, 0, maxBytesSentPerDevice, 0.0, gbps, busiestPortFraction, bound, energyPj,
        energyBreakdownPj);
  }
}
