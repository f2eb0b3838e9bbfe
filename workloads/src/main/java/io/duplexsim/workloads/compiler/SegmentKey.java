package io.duplexsim.workloads.compiler;

import java.util.Arrays;

/**
 * A lasting segment's key: everything the segment depends on, as ints after a kind tag. The compiler
 * builds one in place for each look-up (a serving run looks up millions) and stores a copy only when
 * the segment is new.
 */
final class SegmentKey {
  // Kinds of lasting segment: what each depends on beyond the run's setting is what its key adds.
  static final int FFN = 0;
  static final int DISPATCH = 1;
  static final int COMBINE = 2;
  static final int EMBED = 3;
  static final int HEAD = 4;

  private int[] values;
  private int size;

  SegmentKey() {
    this(new int[16], 0);
  }

  private SegmentKey(int[] values, int size) {
    this.values = values;
    this.size = size;
  }

  /** Clears the key and starts it with {@code kind}, which keeps keys of different segment kinds apart. */
  SegmentKey of(int kind) {
    size = 0;
    return add(kind);
  }

  SegmentKey add(int v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, 2 * size);
    }
    values[size++] = v;
    return this;
  }

  /** Adds {@code vs} after its length, so that keys of different-length parts never collide. */
  SegmentKey add(int[] vs) {
    add(vs.length);
    for (int v : vs) {
      add(v);
    }
    return this;
  }

  /** A key equal to this one that later building does not change. */
  SegmentKey copy() {
    return new SegmentKey(Arrays.copyOf(values, size), size);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentKey k && Arrays.equals(values, 0, size, k.values, 0, k.size);
  }

  @Override
  public int hashCode() {
    // a multiplicative mix: keys differ in small counts (tokens per expert), which 31 * h + v collides
    int h = size;
    for (int i = 0; i < size; i++) {
      h = (h + values[i]) * 0x9E3779B1;
    }
    return h ^ (h >>> 15);
  }

  @Override
  public String toString() {
    return Arrays.toString(Arrays.copyOf(values, size));
  }
}
