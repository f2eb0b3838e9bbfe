package io.duplexsim.memory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of one memory simulation, every one computed by the simulator. {@link #toMap} gives the
 * command line's JSON object (keys as the output contract names them).
 */
public record MemoryResult(
    String standard,
    int stacks,
    int pseudoChannels,
    String mapping,
    String pagePolicy,
    int rowHitCap,
    String refresh,
    boolean fastForward,
    long requests,
    long reads,
    long writes,
    long cycles,
    double simTimeNs,
    double bandwidthGBps,
    double peakGBps,
    double avgReadLatencyNs,
    double p50ReadLatencyNs,
    double p99ReadLatencyNs,
    double maxReadLatencyNs,
    long rowHits,
    long rowMisses,
    long rowConflicts,
    double energyPj,
    double pjPerBit,
    Map<String, Double> energyBreakdownPj,
    Map<String, Long> commandCounts,
    Map<String, Long> bytesByPath,
    boolean protocolChecked,
    long violations,
    double wallSeconds,
    double simCyclesPerSecond,
    long componentTicks,
    int threads,
    java.util.List<PseudoChannelStats> perPseudoChannel,
    java.util.List<Double> readLatencyQuantilesNs) {

  /** How many steps {@link #readLatencyQuantilesNs} cuts [0, 1] into: entry i is the (i / this)-quantile. */
  public static final int QUANTILE_STEPS = 200;

  /** Each pseudo-channel's figures as {@link #toMap} would print them (not part of it: 32 per stack). */
  public java.util.List<Map<String, Object>> perPseudoChannelMaps() {
    return perPseudoChannel.stream().map(PseudoChannelStats::toMap).toList();
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("standard", standard);
    m.put("stacks", stacks);
    m.put("pseudo_channels", pseudoChannels);
    m.put("mapping", mapping);
    m.put("page_policy", pagePolicy);
    m.put("row_hit_cap", rowHitCap); // 0: plain FR-FCFS
    m.put("refresh", refresh);
    m.put("fast_forward", fastForward);
    m.put("requests", requests);
    m.put("reads", reads);
    m.put("writes", writes);
    m.put("cycles", cycles);
    m.put("sim_time_ns", simTimeNs);
    m.put("bandwidth_GBps", bandwidthGBps);
    m.put("peak_GBps", peakGBps);
    m.put("avg_read_latency_ns", avgReadLatencyNs);
    m.put("p50_read_latency_ns", p50ReadLatencyNs);
    m.put("p99_read_latency_ns", p99ReadLatencyNs);
    m.put("max_read_latency_ns", maxReadLatencyNs);
    m.put("row_hits", rowHits);
    m.put("row_misses", rowMisses);
    m.put("row_conflicts", rowConflicts);
    m.put("energy_pJ", energyPj);
    m.put("pJ_per_bit", pjPerBit);
    m.put("energy_breakdown_pJ", energyBreakdownPj);
    m.put("commands", commandCounts);
    m.put("bytes_by_path", bytesByPath);
    m.put("protocol_checked", protocolChecked);
    // Without --check nothing was checked: 0 then means "not counted", hence protocol_checked.
    m.put("violations", violations);
    m.put("wall_s", wallSeconds);
    m.put("sim_cycles_per_s", simCyclesPerSecond);
    m.put("component_ticks", componentTicks);
    // The threads the simulation ran on (lanes of pseudo-channels); the simulated figures never depend on it.
    m.put("threads", threads);
    return m;
  }
}
