package io.duplexsim.isa;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An immutable sequence of ints with value equality. Every int[] field of an instruction is held
 * as an IntSeq so that record equals/hashCode compare contents (a round-tripped trace equals the
 * original).
 */
public final class IntSeq {
  private static final IntSeq EMPTY = new IntSeq(new int[0]);

  private final int[] values;

  private IntSeq(int[] values) {
    this.values = values;
  }

  public static IntSeq of(int... values) {
    return values.length == 0 ? EMPTY : new IntSeq(values.clone());
  }

  public static IntSeq empty() {
    return EMPTY;
  }

  public int size() {
    return values.length;
  }

  public boolean isEmpty() {
    return values.length == 0;
  }

  public int get(int i) {
    return values[i];
  }

  public int[] toArray() {
    return values.clone();
  }

  public IntStream stream() {
    return Arrays.stream(values);
  }

  public long sum() {
    long s = 0;
    for (int v : values) {
      s += v;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IntSeq other && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }
}
