package io.duplexsim.units.interconnect;

import io.duplexsim.isa.Collective;
import io.duplexsim.sim.InputException;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * One collective to simulate.
 *
 * @param op what to do
 * @param payloadBytes one device's buffer, in bytes (see {@link CollectiveOp})
 * @param group device ids taking part, in ring order; a send/recv sends from group[0] to group[1]
 * @param algorithm ring or direct (all-to-all and send/recv are always direct)
 * @param hierarchical when the group spans nodes, run an all-reduce as reduce-scatter inside each
 *     node, all-reduce across nodes between devices of the same local rank, all-gather inside each
 *     node (false: one flat ring or direct exchange over all devices)
 */
public record CollectiveRequest(CollectiveOp op, long payloadBytes, int[] group, CollectiveAlgorithm algorithm,
    boolean hierarchical) {

  public CollectiveRequest {
    if (op == null || algorithm == null || group == null) {
      throw new InputException("a collective needs an op, an algorithm and a group");
    }
    if (payloadBytes <= 0) {
      throw new InputException("collective payload must be positive, got " + payloadBytes + " bytes");
    }
    group = group.clone();
    if (group.length == 0) {
      throw new InputException("collective group is empty");
    }
    for (int i = 0; i < group.length; i++) {
      if (group[i] < 0) {
        throw new InputException("collective group: device ids must be >= 0, got " + group[i]);
      }
      for (int j = 0; j < i; j++) {
        if (group[i] == group[j]) {
          throw new InputException("collective group: device " + group[i] + " appears twice");
        }
      }
    }
    if (op == CollectiveOp.SEND_RECV && group.length != 2) {
      throw new InputException("send-recv needs a group of exactly 2 devices (from, to), got " + group.length);
    }
    if ((op == CollectiveOp.ALL_TO_ALL || op == CollectiveOp.SEND_RECV) && algorithm != CollectiveAlgorithm.DIRECT) {
      throw new InputException(op.label() + " is direct only; got algorithm '" + algorithm.label() + "'");
    }
  }

  /** The usual algorithm for {@code op}: ring, except all-to-all and send/recv (direct). */
  public static CollectiveAlgorithm defaultAlgorithm(CollectiveOp op) {
    return op == CollectiveOp.ALL_TO_ALL || op == CollectiveOp.SEND_RECV ? CollectiveAlgorithm.DIRECT
        : CollectiveAlgorithm.RING;
  }

  /** A hierarchical collective over devices 0..p-1 with the op's default algorithm. */
  public static CollectiveRequest of(CollectiveOp op, long payloadBytes, int p) {
    return new CollectiveRequest(op, payloadBytes, IntStream.range(0, p).toArray(), defaultAlgorithm(op), true);
  }

  /**
   * The request an isa instruction makes (all-reduce with {@code algorithm}; all-to-all and
   * send/recv direct). For SEND/RECV the group is taken as (sender, receiver).
   */
  public static CollectiveRequest of(Collective instruction, CollectiveAlgorithm algorithm) {
    CollectiveOp op = CollectiveOp.of(instruction.kind());
    CollectiveAlgorithm a = op == CollectiveOp.ALL_REDUCE ? algorithm : CollectiveAlgorithm.DIRECT;
    return new CollectiveRequest(op, instruction.payload(), instruction.group().toArray(), a, true);
  }

  public CollectiveRequest withAlgorithm(CollectiveAlgorithm a) {
    return new CollectiveRequest(op, payloadBytes, group, a, hierarchical);
  }

  public CollectiveRequest flat() {
    return new CollectiveRequest(op, payloadBytes, group, algorithm, false);
  }

  @Override
  public int[] group() {
    return group.clone();
  }

  public int size() {
    return group.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectiveRequest r && r.op == op && r.payloadBytes == payloadBytes
        && Arrays.equals(r.group, group) && r.algorithm == algorithm && r.hierarchical == hierarchical;
  }

  @Override
  public int hashCode() {
    return ((op.hashCode() * 31 + Long.hashCode(payloadBytes)) * 31 + Arrays.hashCode(group)) * 31
        + algorithm.hashCode() * 2 + (hierarchical ? 1 : 0);
  }

  @Override
  public String toString() {
    return op.label() + " of " + payloadBytes + " B over " + Arrays.toString(group) + " (" + algorithm.label()
        + (hierarchical ? "" : ", flat") + ")";
  }
}
