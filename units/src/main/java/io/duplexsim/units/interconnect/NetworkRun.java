package io.duplexsim.units.interconnect;

import java.util.Map;

/**
 * What one run of a {@link TransferSchedule} on a {@link Network} measured; every figure comes from
 * the simulated packets.
 *
 * @param cycles link-clock cycles until the last transfer was received
 * @param timeNs the same in ns
 * @param transferDoneCycle per transfer, the cycle its last byte was received
 * @param collectiveDoneCycle per collective of the schedule, the cycle its last transfer was received
 * @param bytesSentPerDevice bytes each device put on its ports, by device id
 * @param bytesByLink bytes that crossed each link class, by link name (nvlink, infiniband)
 * @param energyByCategoryPj link energy by category (link.nvlink, link.infiniband)
 * @param linkNames names of the link classes: [intra-node, inter-node]
 * @param collectiveLinkBytes per collective, bytes that crossed each link class (indexed as linkNames)
 * @param collectiveEnergyPj per collective, energy posted for each link class
 * @param busiestPort the port that spent the most time serialising ("infiniband tx of device 7")
 * @param busiestPortFraction its busy time over the run's time
 * @param packets packets serialised, over all ports
 * @param ticksExecuted scheduler ticks (the work fast-forward saves)
 */
public record NetworkRun(long cycles, double timeNs, long[] transferDoneCycle, long[] collectiveDoneCycle,
    long[] bytesSentPerDevice, Map<String, Long> bytesByLink, Map<String, Double> energyByCategoryPj,
    String[] linkNames, long[][] collectiveLinkBytes, double[][] collectiveEnergyPj,
    String busiestPort, double busiestPortFraction, long packets, long ticksExecuted) {

  public double energyPj() {
    double e = 0;
    for (double v : energyByCategoryPj.values()) {
      e += v;
    }
    return e;
  }
}
