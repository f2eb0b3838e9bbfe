package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.Instruction;
import java.util.Arrays;
import java.util.List;

/**
 * A run of a device's instructions with ids local to it, so that one copy can stand for every layer
 * that compiles to the same work. Local ids {@code 0 .. inputs-1} name the segment's inputs (results of
 * earlier instructions, bound by each {@link SegmentPlacement}); its instructions are numbered from
 * {@code inputs} in issue order, and their deps name inputs or earlier instructions of the segment.
 * Equal segments (same instructions, categories, inputs and output) cost the same wherever placed.
 */
public final class LayerSegment {
  private final int inputs;
  private final List<Instruction> instructions;
  private final OpCategory[] categories;
  private final int output;
  private final int hash;

  /**
   * @param output local id of the segment's result (an input when the segment passes it through)
   */
  LayerSegment(int inputs, List<Instruction> instructions, OpCategory[] categories, int output) {
    if (instructions.size() != categories.length) {
      throw new IllegalArgumentException(instructions.size() + " instructions but " + categories.length
          + " categories");
    }
    this.inputs = inputs;
    this.instructions = List.copyOf(instructions);
    this.categories = categories.clone();
    this.output = output;
    this.hash = 31 * (31 * (31 * inputs + this.instructions.hashCode()) + Arrays.hashCode(categories)) + output;
  }

  public int inputs() {
    return inputs;
  }

  public int size() {
    return instructions.size();
  }

  /** Instruction {@code i} of the segment (local id {@code inputs + i}). */
  public Instruction instruction(int i) {
    return instructions.get(i);
  }

  public OpCategory category(int i) {
    return categories[i];
  }

  public int output() {
    return output;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof LayerSegment s && s.hash == hash && s.inputs == inputs && s.output == output
        && Arrays.equals(s.categories, categories) && s.instructions.equals(instructions);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
