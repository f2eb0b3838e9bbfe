package io.duplexsim.units.exec;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.units.OpResult;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The memo fidelity: each distinct operation shape is priced once by the cycle-level model and reused.
 * Shapes that vary continuously are bucketed first: an attention's KV lengths round up to the KV
 * block size (and its requests are sorted, since their order does not change the work), so a decode
 * batch whose contexts grow by one token per iteration reuses one simulation per block. The bucketed
 * instruction is what gets simulated, so memo differs from cycle only by that rounding.
 */
public final class MemoOpModel implements OpModel {
  private static final Pattern HEADER = Pattern.compile("id=-?\\d+, |deps=\\[[^\\]]*\\], ");

  private final OpModel inner;
  private final int kvBlock;
  private final String fidelity;
  private final Map<String, OpResult> cache = new HashMap<>();
  private long hits;
  private long misses;

  public MemoOpModel(OpModel inner, int kvBlock) {
    this(inner, kvBlock, "memo");
  }

  private MemoOpModel(OpModel inner, int kvBlock, String fidelity) {
    if (kvBlock <= 0) {
      throw new IllegalArgumentException("KV block size must be positive: " + kvBlock);
    }
    this.inner = inner;
    this.kvBlock = kvBlock;
    this.fidelity = fidelity;
  }

  /**
   * The cycle fidelity with repeats skipped: an op of exactly the same shape, simulated on a fresh
   * device, gives exactly the same result (the simulation is deterministic), so it is simulated once.
   * Nothing is rounded or reordered.
   */
  public static MemoOpModel exact(OpModel cycle) {
    return new MemoOpModel(cycle, 1, cycle.fidelity());
  }

  @Override
  public String fidelity() {
    return fidelity;
  }

  @Override
  public OpResult price(Instruction instruction) {
    Instruction canonical = bucket(instruction);
    String key = HEADER.matcher(canonical.toString()).replaceAll("");
    OpResult r = cache.get(key);
    if (r != null) {
      hits++;
      return r;
    }
    misses++;
    r = inner.price(canonical);
    cache.put(key, r);
    return r;
  }

  /** The instruction with its continuously varying sizes rounded to their buckets. */
  Instruction bucket(Instruction ins) {
    if (!(ins instanceof Attention a) || kvBlock == 1) {
      return ins;
    }
    int n = a.requests();
    long[] pairs = new long[n];
    for (int r = 0; r < n; r++) {
      int q = a.queryTokens().get(r);
      int kv = a.kvLengths().get(r);
      int bucketed = (int) Math.min(Integer.MAX_VALUE, ((long) kv + kvBlock - 1) / kvBlock * kvBlock);
      pairs[r] = ((long) q << 32) | bucketed;
    }
    Arrays.sort(pairs);
    int[] q = new int[n];
    int[] kv = new int[n];
    for (int r = 0; r < n; r++) {
      q[r] = (int) (pairs[r] >>> 32);
      kv[r] = (int) pairs[r];
    }
    return new Attention(a.id(), a.unit(), a.deps(), IntSeq.of(q), IntSeq.of(kv), a.heads(), a.kvHeads(), a.headDim(),
        a.causal(), a.phase(), a.format(), a.kv());
  }

  public long hits() {
    return hits;
  }

  public long misses() {
    return misses;
  }
}
