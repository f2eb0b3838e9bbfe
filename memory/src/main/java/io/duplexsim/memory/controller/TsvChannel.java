package io.duplexsim.memory.controller;

/**
 * Through-silicon-via channel between a pseudo-channel's DRAM die and the logic die. Its width times
 * the data rate gives its bandwidth; every burst occupies it for the beats its bytes need, and a
 * column command may only issue if the channel will be free when its data reaches it (DRAM data
 * cannot be held back once the command is issued). When an architect narrows it below the
 * pseudo-channel's pin bandwidth, it throttles column commands: the TSV becomes the bottleneck.
 *
 * <p>Time is counted in beats: one beat is 1/beatsPerClock of a command-clock cycle.
 */
public final class TsvChannel {
  private final String name;
  private final double bitsPerBeat;
  private final int beatsPerClock;
  private final long latencyCycles;
  /** log2 of beatsPerClock when it is a power of two (beat counts are never negative), else -1. */
  private final int beatShift;
  private long freeBeat;
  private long bytesMoved;
  private long busyBeats;
  /** The last transfer size and its beats: bursts repeat one size, so the division is done once. */
  private int lastBytes = -1;
  private long lastBeats;

  /**
   * @param bitsPerBeat channel width in bits (data TSVs), e.g. 32 for a conventional HBM3 pCH
   * @param latencyCycles traversal latency added to each transfer's completion
   */
  public TsvChannel(String name, double bitsPerBeat, int beatsPerClock, long latencyCycles) {
    this.name = name;
    this.bitsPerBeat = bitsPerBeat;
    this.beatsPerClock = beatsPerClock;
    this.latencyCycles = latencyCycles;
    this.beatShift = Integer.bitCount(beatsPerClock) == 1 ? Integer.numberOfTrailingZeros(beatsPerClock) : -1;
  }

  /** Cycles that {@code beats} beats span, rounded up. */
  private long cyclesCeil(long beats) {
    return beatShift >= 0 ? (beats + beatsPerClock - 1) >> beatShift : (beats + beatsPerClock - 1) / beatsPerClock;
  }

  /** Earliest command cycle such that data starting {@code dataDelay} cycles later finds the channel free. */
  public long earliestIssue(long dataDelay) {
    return cyclesCeil(freeBeat) - dataDelay;
  }

  /**
   * Reserves the channel for {@code bytes} starting at cycle {@code dataStart}.
   *
   * @return the cycle at which the last byte has crossed (including latency)
   */
  public long transfer(long dataStart, int bytes) {
    long beats;
    if (bytes == lastBytes) {
      beats = lastBeats;
    } else {
      beats = (long) Math.ceil(bytes * 8 / bitsPerBeat - 1e-9);
      lastBytes = bytes;
      lastBeats = beats;
    }
    long start = Math.max(freeBeat, dataStart * beatsPerClock);
    freeBeat = start + beats;
    bytesMoved += bytes;
    busyBeats += beats;
    return cyclesCeil(freeBeat) + latencyCycles;
  }

  public String name() {
    return name;
  }

  public long bytesMoved() {
    return bytesMoved;
  }

  /** Cycles the channel carried data (fractional when transfers are shorter than a cycle). */
  public double busyCycles() {
    return busyBeats / (double) beatsPerClock;
  }

  public double bytesPerCycle() {
    return bitsPerBeat * beatsPerClock / 8;
  }
}
