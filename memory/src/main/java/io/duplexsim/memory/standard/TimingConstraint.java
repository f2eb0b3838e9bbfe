package io.duplexsim.memory.standard;

import java.util.Arrays;

/**
 * A timing rule as a data row (Ramulator 2's form): after a {@code preceding} command at a node of
 * {@code level}, none of the {@code following} commands may issue at that node for
 * {@code latency} cycles. With {@code window} w > 1 the rule counts from the w-th most recent
 * preceding command (tFAW). With {@code sibling}, it binds the other nodes under the same parent
 * instead of the node itself.
 */
public record TimingConstraint(
    Level level, int[] preceding, int[] following, int latency, int window, boolean sibling, String text) {

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimingConstraint t && t.level == level && Arrays.equals(t.preceding, preceding)
        && Arrays.equals(t.following, following) && t.latency == latency && t.window == window
        && t.sibling == sibling;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(preceding) * 31 + Arrays.hashCode(following) * 17 + latency;
  }
}
