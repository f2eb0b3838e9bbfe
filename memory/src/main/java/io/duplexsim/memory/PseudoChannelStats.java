package io.duplexsim.memory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one pseudo-channel's controller did in a run, for balance studies (an address mapping that
 * leaves pseudo-channels idle, a hot bank): its requests, the bandwidth its data moved over the whole
 * run's time, its row-buffer outcomes and its reads' mean latency.
 *
 * @param pseudoChannel index over every stack ({@code stack * pseudoChannelsPerStack + local})
 * @param bytes data moved, every path (pins, Logic-PIM TSVs, Bank-PIM)
 */
public record PseudoChannelStats(int pseudoChannel, long reads, long writes, long bytes, double bandwidthGBps,
    long rowHits, long rowMisses, long rowConflicts, double avgReadLatencyNs) {

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pseudo_channel", pseudoChannel);
    m.put("reads", reads);
    m.put("writes", writes);
    m.put("bytes", bytes);
    m.put("bandwidth_GBps", bandwidthGBps);
    m.put("row_hits", rowHits);
    m.put("row_misses", rowMisses);
    m.put("row_conflicts", rowConflicts);
    m.put("avg_read_latency_ns", avgReadLatencyNs);
    return m;
  }
}
