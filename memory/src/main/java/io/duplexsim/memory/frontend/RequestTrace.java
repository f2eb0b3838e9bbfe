package io.duplexsim.memory.frontend;

import it.unimi.dsi.fastutil.bytes.ByteArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * Memory requests in injection order, held in primitive arrays (a 1M-request trace is ~17 MB).
 * A request's issue cycle (command-clock cycles) is -1 when the trace gives none: such requests
 * are injected as fast as the controllers accept them.
 */
public final class RequestTrace {
  private final LongArrayList addresses = new LongArrayList();
  private final ByteArrayList types = new ByteArrayList();
  private final LongArrayList issueCycles = new LongArrayList();
  private final String name;
  private boolean timed;
  /** Bit t set: some request is of type t (by ordinal). */
  private int typeBits;

  public RequestTrace(String name) {
    this.name = name;
  }

  public void add(long address, RequestType type, long issueCycle) {
    addresses.add(address);
    types.add((byte) type.ordinal());
    issueCycles.add(issueCycle);
    timed |= issueCycle >= 0;
    typeBits |= 1 << type.ordinal();
  }

  public void add(long address, RequestType type) {
    add(address, type, -1);
  }

  public String name() {
    return name;
  }

  public int size() {
    return addresses.size();
  }

  public long address(int i) {
    return addresses.getLong(i);
  }

  public RequestType type(int i) {
    return RequestType.of(types.getByte(i));
  }

  public int typeOrdinal(int i) {
    return types.getByte(i);
  }

  /** Issue cycle of request i, or -1 for "as soon as accepted". */
  public long issueCycle(int i) {
    return issueCycles.getLong(i);
  }

  /** The request types the trace holds. */
  public java.util.Set<RequestType> types() {
    java.util.Set<RequestType> set = java.util.EnumSet.noneOf(RequestType.class);
    for (RequestType t : RequestType.values()) {
      if ((typeBits & 1 << t.ordinal()) != 0) {
        set.add(t);
      }
    }
    return set;
  }

  /** True if any request carries an issue cycle. */
  public boolean timed() {
    return timed;
  }
}
