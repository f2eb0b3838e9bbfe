package io.duplexsim.units.interconnect;

import io.duplexsim.isa.CollectiveKind;
import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The collectives the network runs. The payload is one device's buffer: the vector an all-reduce
 * reduces, an all-gather's full output, a reduce-scatter's full input, the data a device spreads
 * in an all-to-all, the message of a send/recv.
 */
public enum CollectiveOp {
  ALL_REDUCE("all-reduce"),
  ALL_GATHER("all-gather"),
  REDUCE_SCATTER("reduce-scatter"),
  ALL_TO_ALL("all-to-all"),
  SEND_RECV("send-recv");

  private final String label;

  CollectiveOp(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /**
   * NCCL's bus-bandwidth factor (nccl-tests PERFORMANCE.md): bus bandwidth = payload / time x this,
   * so that it compares with the link bandwidth whatever the group size p.
   */
  public double busFactor(int p) {
    return switch (this) {
      case ALL_REDUCE -> 2.0 * (p - 1) / p;
      case ALL_GATHER, REDUCE_SCATTER, ALL_TO_ALL -> (double) (p - 1) / p;
      case SEND_RECV -> 1.0;
    };
  }

  /** The op an isa {@code Collective} instruction names (SEND and RECV are two views of one transfer). */
  public static CollectiveOp of(CollectiveKind kind) {
    return switch (kind) {
      case ALL_REDUCE -> ALL_REDUCE;
      case ALL_TO_ALL -> ALL_TO_ALL;
      case SEND, RECV -> SEND_RECV;
    };
  }

  public static List<String> labels() {
    List<String> l = new ArrayList<>();
    for (CollectiveOp o : values()) {
      l.add(o.label);
    }
    return l;
  }

  /** Parses a label ({@code all-reduce}); InputException naming the choices. */
  public static CollectiveOp parse(String label) {
    for (CollectiveOp o : values()) {
      if (o.label.equals(label)) {
        return o;
      }
    }
    throw new InputException("unknown collective '" + label + "'; expected one of " + labels());
  }
}
