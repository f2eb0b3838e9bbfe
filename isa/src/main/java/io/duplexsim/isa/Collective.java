package io.duplexsim.isa;

/**
 * A collective over the link. {@code group} lists all participating device ids, this device
 * included (SEND/RECV: exactly the two ends). {@code payload} is this device's buffer size.
 * flops = 0 (a reduction's adds are negligible next to the transfer; model them as Elementwise if
 * needed). bytes = bytes this device sends with ring algorithms, p = group size: ALL_REDUCE
 * 2(p-1)/p * payload, ALL_TO_ALL (p-1)/p * payload, SEND/RECV payload.
 */
public record Collective(int id, Unit unit, IntSeq deps, CollectiveKind kind, long payload,
    IntSeq group) implements Instruction {
  public Collective {
    Check.header(id, unit, deps);
    Check.that(unit == Unit.LINK, "unit", "link for a collective", unit == null ? null : unit.label());
    Check.notNull("kind", kind);
    Check.positive("payload", payload);
    Check.notNull("group", group);
    Check.that(!group.isEmpty(), "group", "at least one device id", group);
    for (int i = 0; i < group.size(); i++) {
      Check.that(group.get(i) >= 0, "group", "non-negative device ids", group);
      for (int j = 0; j < i; j++) {
        Check.that(group.get(i) != group.get(j), "group", "distinct device ids", group);
      }
    }
    if (kind == CollectiveKind.SEND || kind == CollectiveKind.RECV) {
      Check.that(group.size() == 2, "group", "exactly 2 device ids for " + Names.of(kind), group);
    }
  }

  @Override
  public long flops() {
    return 0;
  }

  @Override
  public long bytes() {
    long p = group.size();
    return switch (kind) {
      case ALL_REDUCE -> 2 * (p - 1) * payload / p;
      case ALL_TO_ALL -> (p - 1) * payload / p;
      case SEND, RECV -> payload;
    };
  }

  @Override
  public Collective withHeader(int id, IntSeq deps) {
    return new Collective(id, unit, deps, kind, payload, group);
  }
}
