package io.duplexsim.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded generator of random valid instructions of every kind, for round-trip tests. */
public final class RandomInstructions {
  private final SplittableRandom rnd;

  public RandomInstructions(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  /** A trace of {@code n} instructions cycling through every kind, with random earlier deps. */
  public InstructionTrace trace(int n) {
    List<Instruction> out = new ArrayList<>();
    int id = rnd.nextInt(5);
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      id += 1 + rnd.nextInt(3);
      int kind = i < 14 ? i : rnd.nextInt(14);
      out.add(instruction(kind, id, deps(ids)));
      ids.add(id);
    }
    String model = rnd.nextBoolean() ? "llama-3-8b" : null;
    String iter = rnd.nextBoolean() ? "iter-" + rnd.nextInt(100) : null;
    return new InstructionTrace(new TraceHeader(1, "dev" + rnd.nextInt(8), model, iter), out);
  }

  private IntSeq deps(List<Integer> earlier) {
    int k = earlier.isEmpty() ? 0 : rnd.nextInt(Math.min(4, earlier.size() + 1));
    List<Integer> pool = new ArrayList<>(earlier);
    int[] d = new int[k];
    for (int i = 0; i < k; i++) {
      d[i] = pool.remove(rnd.nextInt(pool.size()));
    }
    return IntSeq.of(d);
  }

  private int pos(int max) {
    return 1 + rnd.nextInt(max);
  }

  private Unit unit() {
    Unit[] us = {Unit.XPU, Unit.LOGIC_PIM, Unit.BANK_PIM, Unit.BANKGROUP_PIM};
    return us[rnd.nextInt(us.length)];
  }

  private <E extends Enum<E>> E pick(Class<E> type) {
    E[] cs = type.getEnumConstants();
    return cs[rnd.nextInt(cs.length)];
  }

  TensorFormat format() {
    return switch (rnd.nextInt(4)) {
      case 0 -> TensorFormat.of(pick(DataType.class));
      case 1 -> TensorFormat.INT4_G128_FP16;
      case 2 -> new TensorFormat(pick(DataType.class), pos(256),
          rnd.nextBoolean() ? DataType.FP16 : DataType.FP32);
      default -> TensorFormat.BF16;
    };
  }

  Placement placement() {
    return new Placement(rnd.nextInt(4), pos(4), rnd.nextInt(32), pos(32), rnd.nextInt(5) - 1,
        rnd.nextLong(1L << 40), rnd.nextLong(1L << 34));
  }

  private Placement maybePlacement() {
    return rnd.nextBoolean() ? placement() : null;
  }

  private IntSeq positives(int n, int max) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = pos(max);
    }
    return IntSeq.of(a);
  }

  /** One instruction of kind {@code kind} (0..13 in {@code Instruction}'s permits order). */
  public Instruction instruction(int kind, int id, IntSeq deps) {
    switch (kind) {
      case 0:
        return new Gemm(id, unit(), deps, pos(4096), pos(8192), pos(8192), format(), format(),
            maybePlacement(), maybePlacement(), maybePlacement());
      case 1: {
        int reqs = pos(8);
        IntSeq q = positives(reqs, 512);
        int[] kv = new int[reqs];
        for (int r = 0; r < reqs; r++) {
          kv[r] = q.get(r) + rnd.nextInt(4096);
        }
        int kvHeads = pos(8);
        return new Attention(id, unit(), deps, q, IntSeq.of(kv), kvHeads * pos(8), kvHeads,
            2 * pos(128), rnd.nextBoolean(), pick(AttentionPhase.class), format(), maybePlacement());
      }
      case 2:
        return new Softmax(id, unit(), deps, pos(4096), pos(32768), format());
      case 3:
        return new Norm(id, unit(), deps, pick(NormKind.class), pos(4096), pos(16384), format());
      case 4:
        return new Activation(id, unit(), deps, pick(ActivationKind.class),
            1 + rnd.nextLong(1L << 36), format());
      case 5:
        return new Rotary(id, unit(), deps, pos(4096), pos(64), 2 * pos(128), format());
      case 6: {
        int experts = pos(256);
        return new TopKGate(id, unit(), deps, pos(4096), experts, pos(experts), format());
      }
      case 7:
        return new Elementwise(id, unit(), deps, pick(ElementwiseOp.class),
            1 + rnd.nextLong(1L << 36), format());
      case 8:
        return new KvAppend(id, unit(), deps, pos(4096), pos(128), pos(1 << 20), maybePlacement());
      case 9:
        return new KvRead(id, unit(), deps, pos(4096), pos(128), pos(1 << 20), maybePlacement());
      case 10: {
        CollectiveKind k = pick(CollectiveKind.class);
        int size = k == CollectiveKind.SEND || k == CollectiveKind.RECV ? 2 : pos(8);
        int[] group = new int[size];
        int next = rnd.nextInt(4);
        for (int i = 0; i < size; i++) {
          next += pos(3);
          group[i] = next;
        }
        return new Collective(id, Unit.LINK, deps, k, 1 + rnd.nextLong(1L << 40), IntSeq.of(group));
      }
      case 11: {
        Placement p = placement();
        return new Load(id, unit(), deps, 1 + rnd.nextLong(p.bytes() + 1), withBytes(p));
      }
      case 12: {
        Placement p = placement();
        return new Store(id, unit(), deps, 1 + rnd.nextLong(p.bytes() + 1), withBytes(p));
      }
      case 13:
        return new Barrier(id, unit(), deps);
      default:
        throw new IllegalArgumentException("kind " + kind);
    }
  }

  /** {@code p} made at least 1 byte larger, so any draw up to its old size + 1 fits. */
  private static Placement withBytes(Placement p) {
    return new Placement(p.stackFirst(), p.stackCount(), p.pchFirst(), p.pchCount(), p.bundle(),
        p.address(), p.bytes() + 1);
  }
}
