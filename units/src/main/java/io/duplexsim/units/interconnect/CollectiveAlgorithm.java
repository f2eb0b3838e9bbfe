package io.duplexsim.units.interconnect;

import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a collective is cut into point-to-point transfers. RING: p-1 steps to the next device per
 * phase (an all-reduce is a reduce-scatter then an all-gather, 2(p-1) steps), each step waiting
 * for the chunk before it. DIRECT: every device sends each other device its share at once (one step
 * per phase), the same bytes in fewer, wider steps.
 */
public enum CollectiveAlgorithm {
  RING("ring"),
  DIRECT("direct");

  private final String label;

  CollectiveAlgorithm(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static List<String> labels() {
    List<String> l = new ArrayList<>();
    for (CollectiveAlgorithm a : values()) {
      l.add(a.label);
    }
    return l;
  }

  /** Parses a label ({@code ring}); InputException naming the choices. */
  public static CollectiveAlgorithm parse(String label) {
    for (CollectiveAlgorithm a : values()) {
      if (a.label.equals(label)) {
        return a;
      }
    }
    throw new InputException("unknown algorithm '" + label + "'; expected one of " + labels());
  }
}
