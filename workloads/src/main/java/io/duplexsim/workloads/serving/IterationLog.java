package io.duplexsim.workloads.serving;

import it.unimi.dsi.fastutil.bytes.ByteArrayList;
import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Objects;

/**
 * Every iteration of a run, column by column (a run can have millions): start and duration, stage
 * kind, requests in the batch, prefill and decode tokens, KV blocks in use once the batch was
 * scheduled, and requests preempted while scheduling it. Append-only while the engine runs.
 */
public final class IterationLog {
  private static final StageKind[] KINDS = StageKind.values();

  private final DoubleArrayList startNs = new DoubleArrayList();
  private final DoubleArrayList timeNs = new DoubleArrayList();
  private final ByteArrayList stage = new ByteArrayList();
  private final IntArrayList requests = new IntArrayList();
  private final IntArrayList prefillTokens = new IntArrayList();
  private final IntArrayList decodeTokens = new IntArrayList();
  private final LongArrayList kvBlocks = new LongArrayList();
  private final IntArrayList preemptions = new IntArrayList();
  private final long kvCapacityBlocks;

  public IterationLog(long kvCapacityBlocks) {
    this.kvCapacityBlocks = kvCapacityBlocks;
  }

  public void add(double start, double time, StageKind kind, int batchRequests, int prefill, int decode, long blocks,
      int preempted) {
    startNs.add(start);
    timeNs.add(time);
    stage.add((byte) kind.ordinal());
    requests.add(batchRequests);
    prefillTokens.add(prefill);
    decodeTokens.add(decode);
    kvBlocks.add(blocks);
    preemptions.add(preempted);
  }

  public int size() {
    return startNs.size();
  }

  public double startNs(int i) {
    return startNs.getDouble(i);
  }

  public double timeNs(int i) {
    return timeNs.getDouble(i);
  }

  public StageKind stage(int i) {
    return KINDS[stage.getByte(i)];
  }

  public int requests(int i) {
    return requests.getInt(i);
  }

  public int prefillTokens(int i) {
    return prefillTokens.getInt(i);
  }

  public int decodeTokens(int i) {
    return decodeTokens.getInt(i);
  }

  public int tokens(int i) {
    return prefillTokens.getInt(i) + decodeTokens.getInt(i);
  }

  public long kvBlocks(int i) {
    return kvBlocks.getLong(i);
  }

  /** Fraction of the replica's KV blocks in use during iteration i. */
  public double kvOccupancy(int i) {
    return (double) kvBlocks.getLong(i) / kvCapacityBlocks;
  }

  public int preemptions(int i) {
    return preemptions.getInt(i);
  }

  public long kvCapacityBlocks() {
    return kvCapacityBlocks;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IterationLog l && l.kvCapacityBlocks == kvCapacityBlocks && l.startNs.equals(startNs)
        && l.timeNs.equals(timeNs) && l.stage.equals(stage) && l.requests.equals(requests)
        && l.prefillTokens.equals(prefillTokens) && l.decodeTokens.equals(decodeTokens)
        && l.kvBlocks.equals(kvBlocks) && l.preemptions.equals(preemptions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(startNs, timeNs, stage, requests, kvBlocks);
  }

  @Override
  public String toString() {
    return "IterationLog[" + size() + " iterations]";
  }
}
