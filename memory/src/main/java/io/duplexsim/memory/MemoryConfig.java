package io.duplexsim.memory;

import io.duplexsim.memory.controller.PagePolicy;
import io.duplexsim.memory.controller.RefreshMode;
import io.duplexsim.sim.InputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that configures one memory-system simulation. Immutable; build with {@link #builder}.
 *
 * @param standard named standard, e.g. {@code HBM3-5.2}
 * @param mapping address mapping name (see {@code AddressMappings})
 * @param pagePolicy {@code open}, {@code closed} or {@code adaptive}
 * @param refresh {@code all-bank}, {@code per-bank}, {@code same-bank} or {@code none}
 * @param adaptiveIdleCycles adaptive page policy: close a row idle this many cycles with no
 *     pending hit
 * @param rowHitCap FR-FCFS's row-hit cap (Ramulator 1's FRFCFS_Cap): once a bank's open row has served
 *     this many column commands and a scheduled request waits to open another row there, the bank
 *     takes no more column commands until its row closes; 0 for none (plain FR-FCFS)
 * @param tsvXpuWidth width of the conventional TSV channel per pseudo-channel, in multiples of the
 *     pseudo-channel's pin bandwidth (1 = as built)
 * @param tsvPimWidth width of the Logic-PIM TSV channel, same unit (Duplex: 4)
 * @param tsvLatencyPs TSV traversal latency added to every read's data return
 */
public record MemoryConfig(
    String standard,
    int stacks,
    String mapping,
    String pagePolicy,
    String refresh,
    boolean check,
    boolean fastForward,
    int readQueueSize,
    int writeQueueSize,
    double writeHighWatermark,
    double writeLowWatermark,
    int adaptiveIdleCycles,
    int rowHitCap,
    double tsvXpuWidth,
    double tsvPimWidth,
    long tsvLatencyPs,
    Map<String, Number> orgOverrides,
    Map<String, Number> timingOverrides,
    Map<String, Number> energyOverrides) {

  public static final String DEFAULT_MAPPING = "RoRaBaCoBgCh";
  public static final List<String> PAGE_POLICIES =
      java.util.Arrays.stream(PagePolicy.values()).map(PagePolicy::key).toList();
  public static final List<String> REFRESH_MODES =
      java.util.Arrays.stream(RefreshMode.values()).map(RefreshMode::key).toList();

  public MemoryConfig {
    if (stacks <= 0) {
      throw new InputException("stacks must be a positive integer, got " + stacks);
    }
    if (!PAGE_POLICIES.contains(pagePolicy)) {
      throw new InputException("unknown page policy '" + pagePolicy + "'; expected one of " + PAGE_POLICIES);
    }
    if (!REFRESH_MODES.contains(refresh)) {
      throw new InputException("unknown refresh mode '" + refresh + "'; expected one of " + REFRESH_MODES);
    }
    if (readQueueSize <= 0 || writeQueueSize <= 0) {
      throw new InputException("read and write queue sizes must be positive, got " + readQueueSize + " and "
          + writeQueueSize);
    }
    if (!(writeLowWatermark >= 0 && writeLowWatermark < writeHighWatermark && writeHighWatermark <= 1)) {
      throw new InputException("write watermarks must satisfy 0 <= low < high <= 1, got low " + writeLowWatermark
          + " high " + writeHighWatermark);
    }
    if (adaptiveIdleCycles <= 0) {
      throw new InputException("adaptive idle cycles must be positive, got " + adaptiveIdleCycles);
    }
    if (rowHitCap < 0) {
      throw new InputException("row-hit-cap must be 0 (none) or a positive number of column commands, got "
          + rowHitCap);
    }
    if (!(tsvXpuWidth > 0) || !(tsvPimWidth > 0) || tsvLatencyPs < 0) {
      throw new InputException("TSV widths must be positive and TSV latency non-negative");
    }
    orgOverrides = Map.copyOf(orgOverrides);
    timingOverrides = Map.copyOf(timingOverrides);
    energyOverrides = Map.copyOf(energyOverrides);
  }

  public static Builder builder(String standard) {
    return new Builder(standard);
  }

  public Builder toBuilder() {
    Builder b = new Builder(standard);
    b.stacks = stacks;
    b.mapping = mapping;
    b.pagePolicy = pagePolicy;
    b.refresh = refresh;
    b.check = check;
    b.fastForward = fastForward;
    b.readQueueSize = readQueueSize;
    b.writeQueueSize = writeQueueSize;
    b.writeHighWatermark = writeHighWatermark;
    b.writeLowWatermark = writeLowWatermark;
    b.adaptiveIdleCycles = adaptiveIdleCycles;
    b.rowHitCap = rowHitCap;
    b.tsvXpuWidth = tsvXpuWidth;
    b.tsvPimWidth = tsvPimWidth;
    b.tsvLatencyPs = tsvLatencyPs;
    b.orgOverrides.putAll(orgOverrides);
    b.timingOverrides.putAll(timingOverrides);
    b.energyOverrides.putAll(energyOverrides);
    return b;
  }

  /** Mutable builder with the defaults an architect would expect. */
  public static final class Builder {
    private String standard;
    private int stacks = 1;
    private String mapping = DEFAULT_MAPPING;
    private String pagePolicy = "open";
    private String refresh = "all-bank";
    private boolean check;
    private boolean fastForward = true;
    private int readQueueSize = 32;
    private int writeQueueSize = 32;
    private double writeHighWatermark = 0.8;
    private double writeLowWatermark = 0.2;
    private int adaptiveIdleCycles = 64;
    private int rowHitCap = 0;
    private double tsvXpuWidth = 1;
    private double tsvPimWidth = 4;
    private long tsvLatencyPs = 0;
    private final Map<String, Number> orgOverrides = new LinkedHashMap<>();
    private final Map<String, Number> timingOverrides = new LinkedHashMap<>();
    private final Map<String, Number> energyOverrides = new LinkedHashMap<>();

    private Builder(String standard) {
      this.standard = standard;
    }

    public Builder standard(String v) { standard = v; return this; }
    public Builder stacks(int v) { stacks = v; return this; }
    public Builder mapping(String v) { mapping = v; return this; }
    public Builder pagePolicy(String v) { pagePolicy = v; return this; }
    public Builder refresh(String v) { refresh = v; return this; }
    public Builder check(boolean v) { check = v; return this; }
    public Builder fastForward(boolean v) { fastForward = v; return this; }
    public Builder readQueueSize(int v) { readQueueSize = v; return this; }
    public Builder writeQueueSize(int v) { writeQueueSize = v; return this; }
    public Builder writeHighWatermark(double v) { writeHighWatermark = v; return this; }
    public Builder writeLowWatermark(double v) { writeLowWatermark = v; return this; }
    public Builder rowHitCap(int v) { rowHitCap = v; return this; }
    public Builder adaptiveIdleCycles(int v) { adaptiveIdleCycles = v; return this; }
    public Builder tsvXpuWidth(double v) { tsvXpuWidth = v; return this; }
    public Builder tsvPimWidth(double v) { tsvPimWidth = v; return this; }
    public Builder tsvLatencyPs(long v) { tsvLatencyPs = v; return this; }
    public Builder orgOverride(String k, Number v) { orgOverrides.put(k, v); return this; }
    public Builder timingOverride(String k, Number v) { timingOverrides.put(k, v); return this; }
    public Builder energyOverride(String k, Number v) { energyOverrides.put(k, v); return this; }

    public MemoryConfig build() {
      return new MemoryConfig(standard, stacks, mapping, pagePolicy, refresh, check, fastForward, readQueueSize,
          writeQueueSize, writeHighWatermark, writeLowWatermark, adaptiveIdleCycles, rowHitCap, tsvXpuWidth, tsvPimWidth,
          tsvLatencyPs, orgOverrides, timingOverrides, energyOverrides);
    }
  }
}
