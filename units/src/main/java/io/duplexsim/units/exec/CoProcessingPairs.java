package io.duplexsim.units.exec;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.Unit;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.function.IntFunction;

/**
 * Duplex+PE's attention co-processing in a run of instructions: an attention on the xPU and a decode
 * attention on a near-memory unit waiting for the same instructions, so that they start together (the
 * compiler emits them so only when it co-processes attention). Each instruction joins one pair at most.
 */
public final class CoProcessingPairs {
  private CoProcessingPairs() {}

  /** The pairs among {@code size} instructions, as positions: xPU attention, near-memory attention, ... */
  public static int[] of(int size, IntFunction<Instruction> instruction) {
    IntArrayList onXpu = null;
    IntArrayList decode = null;
    for (int k = 0; k < size; k++) {
      if (instruction.apply(k) instanceof Attention a) {
        if (a.unit() == Unit.XPU) {
          onXpu = add(onXpu, k);
        } else if (a.phase() == AttentionPhase.DECODE) {
          decode = add(decode, k);
        }
      }
    }
    if (onXpu == null || decode == null) {
      return new int[0];
    }
    IntArrayList pairs = new IntArrayList();
    for (int i = 0; i < onXpu.size(); i++) {
      Instruction x = instruction.apply(onXpu.getInt(i));
      for (int j = 0; j < decode.size(); j++) {
        if (instruction.apply(decode.getInt(j)).deps().equals(x.deps())) {
          pairs.add(onXpu.getInt(i));
          pairs.add(decode.removeInt(j));
          break;
        }
      }
    }
    return pairs.toIntArray();
  }

  private static IntArrayList add(IntArrayList list, int k) {
    IntArrayList l = list == null ? new IntArrayList(2) : list;
    l.add(k);
    return l;
  }
}
