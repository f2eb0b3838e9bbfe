package io.duplexsim.workloads.compiler;

import static io.duplexsim.workloads.compiler.TraceBuilder.NONE;

import java.util.Arrays;

/**
 * A placed segment's inputs: the distinct trace ids it reads, in order, and the local id (its position
 * there) by which the segment's own instructions name each of them.
 */
final class SegmentInputs {
  private SegmentInputs() {}

  /** The distinct instructions among {@code ids} (NONE dropped), in order: a segment's inputs. */
  static int[] of(int... ids) {
    int[] out = new int[ids.length];
    int n = 0;
    for (int id : ids) {
      if (id != NONE && local(out, n, id) == NONE) {
        out[n++] = id;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** The local id of trace id {@code id} among a segment's inputs {@code inputs} (NONE stays NONE). */
  static int local(int[] inputs, int id) {
    int i = local(inputs, inputs.length, id);
    if (id != NONE && i == NONE) {
      throw new IllegalStateException(id + " is not an input of the segment");
    }
    return i;
  }

  private static int local(int[] ids, int n, int id) {
    for (int i = 0; id != NONE && i < n; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return NONE;
  }
}
