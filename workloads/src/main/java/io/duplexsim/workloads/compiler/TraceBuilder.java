package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A {@link LayerSegment}'s instructions as they are emitted: ids in issue order after the local ids of
 * the segment's inputs, a category per instruction.
 */
final class TraceBuilder {
  /** "No instruction": a dep slot that is dropped (nothing emitted yet, or a skipped branch). */
  static final int NONE = -1;

  private final int firstId;
  private final List<Instruction> instructions = new ArrayList<>();
  private final List<OpCategory> categories = new ArrayList<>();

  TraceBuilder(int firstId) {
    this.firstId = firstId;
  }

  /** Emits the instruction {@code make} builds for the next id; returns that id. */
  int add(OpCategory category, IntFunction<Instruction> make) {
    int id = firstId + instructions.size();
    instructions.add(make.apply(id));
    categories.add(category);
    return id;
  }

  /** Emits the instruction {@code make} builds from the next id and {@code deps}; returns that id. */
  int add(OpCategory category, IntSeq deps, Maker make) {
    return add(category, id -> make.make(id, deps));
  }

  /** Builds an instruction from its id and deps. */
  @FunctionalInterface
  interface Maker {
    Instruction make(int id, IntSeq deps);
  }

  /** Deps from ids, {@link #NONE} and duplicates dropped. */
  static IntSeq deps(int... ids) {
    int[] kept = new int[ids.length];
    int n = 0;
    for (int id : ids) {
      if (id != NONE && !contains(kept, n, id)) {
        kept[n++] = id;
      }
    }
    return IntSeq.of(n == kept.length ? kept : java.util.Arrays.copyOf(kept, n));
  }

  private static boolean contains(int[] values, int n, int v) {
    for (int i = 0; i < n; i++) {
      if (values[i] == v) {
        return true;
      }
    }
    return false;
  }

  static IntSeq deps(List<Integer> ids) {
    return deps(ids.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The instructions as a segment whose first {@code firstId} local ids are its inputs. */
  LayerSegment segment(int output) {
    // copied by hand: toArray's shared copy checks the array's class, and a second class seen there
    // made the JIT recompile the compiler's largest methods, which inline this
    OpCategory[] c = new OpCategory[categories.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = categories.get(i);
    }
    return new LayerSegment(firstId, instructions, c, output);
  }
}
