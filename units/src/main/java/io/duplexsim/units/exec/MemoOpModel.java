package io.duplexsim.units.exec;

import io.duplexsim.isa.Activation;
import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Elementwise;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.KvAppend;
import io.duplexsim.isa.KvRead;
import io.duplexsim.isa.Norm;
import io.duplexsim.isa.Rotary;
import io.duplexsim.isa.TopKGate;
import io.duplexsim.units.OpResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memo fidelity: each distinct operation shape is priced once by the cycle-level model and reused.
 * Shapes that vary continuously are bucketed first: an attention's KV lengths round up to the KV
 * block size (and its requests are sorted, since their order does not change the work), so a decode
 * batch whose contexts grow by one token per iteration reuses one simulation per block; a GEMM's token
 * rows above {@link #EXACT_ROWS} are simulated at the bucket rows on either side and interpolated
 * linearly (mixed batches have almost every token count; above 128 rows the bucket's first row count
 * is simulated, not the previous bucket's last, since the time steps there), as are the token rows of norms, rotary
 * embeddings, KV appends and reads and expert gates, and element-wise ops and
 * activations above 64 Ki elements, between powers of two (experts see every token count). Decode
 * attention on a near-memory unit is still a new shape nearly every iteration (some request crosses a
 * block boundary), so it is composed from cycle-level runs of its single (request, KV head) pairs
 * ({@link io.duplexsim.units.nearmemory.ComposedAttention}), which every shape shares. Memo differs from
 * cycle only by that rounding, interpolation and composition, which tests bound. An interpolation's two
 * new bucket ends are simulated at once, the second on a helper thread the process shares, and an
 * iteration's new shapes are simulated side by side on the helpers ({@link #prefetch}; each on its own
 * fresh device: the prices do not depend on it).
 */
public final class MemoOpModel implements OpModel {
  private final OpModel inner;
  private final int kvBlock;
  /** Memo rounds and interpolates; the exact variant (the cycle fidelity) only skips repeats. */
  private final boolean bucketed;
  private final String fidelity;
  private final Map<Instruction, OpResult> cache = new HashMap<>();
  private long hits;
  private long misses;
  /** Where prices are kept on disk between runs (or shared in memory), or null. */
  private MemoStores stores;
  /** How often a run saves its new prices to the store while it goes on (its end saves the rest). */
  static final long SAVE_INTERVAL_NANOS = 30_000_000_000L;
  private long saveInterval = SAVE_INTERVAL_NANOS;
  private long stored;
  private long composedShapes;
  /** Per instruction kind and unit: shapes simulated and the wall time they took, in ns. */
  private final Map<String, long[]> simulated = new TreeMap<>();

  public MemoOpModel(OpModel inner, int kvBlock) {
    this(inner, kvBlock, true, "memo");
  }

  private MemoOpModel(OpModel inner, int kvBlock, boolean bucketed, String fidelity) {
    if (kvBlock <= 0) {
      throw new IllegalArgumentException("KV block size must be positive: " + kvBlock);
    }
    this.inner = inner;
    this.kvBlock = kvBlock;
    this.bucketed = bucketed;
    this.fidelity = fidelity;
    this.helpers = ShapeHelpers.pool();
    this.helperCount = ShapeHelpers.count();
  }

  /**
   * The cycle fidelity with repeats skipped: an op of exactly the same shape, simulated on a fresh
   * device, gives exactly the same result (the simulation is deterministic), so it is simulated once.
   * Nothing is rounded or reordered.
   */
  public static MemoOpModel exact(OpModel cycle) {
    return new MemoOpModel(cycle, 1, false, cycle.fidelity());
  }

  @Override
  public String fidelity() {
    return fidelity;
  }

  /**
   * Also looks shapes up in {@code store} before simulating them, and adds the ones it simulates (the
   * caller saves the store). Results are the same with or without it: a stored price is what the
   * deterministic simulation computed for that shape on the same build and hardware.
   */
  public MemoOpModel withStore(MemoStore store) {
    return withStores(MemoStores.single(store));
  }

  /** As {@link #withStore}, each price in the store {@code stores} names for it. */
  public MemoOpModel withStores(MemoStores stores) {
    this.stores = stores;
    if (bucketed && inner instanceof CycleOpModel cycle) {
      cycle.keepCalibrationsIn(stores);
    }
    return this;
  }

  /**
   * The cycle fidelity ({@link #exact}) runs Duplex+PE's attention pairs together as its inner model does
   * (not kept in a store: a pair's decode batch is new nearly every iteration); memo prices them alone.
   */
  @Override
  public OpResult[] priceTogether(Attention onXpu, Attention onNearMemory, OpResult xpuAlone,
      OpResult nearMemoryAlone) {
    return bucketed ? null : inner.priceTogether(onXpu, onNearMemory, xpuAlone, nearMemoryAlone);
  }

  /** GEMMs with up to this many rows are memoised exactly; larger ones interpolate between buckets. */
  static final int EXACT_ROWS = 16;

  @Override
  public OpResult price(Instruction instruction) {
    Plan p = plan(instruction);
    if (p.hi() == null) {
      return cached(p.lo());
    }
    OpResult[] ab = cachedPair(p.lo(), p.hi());
    return interpolate(ab[0], ab[1], p.t(), instruction.flops());
  }

  /** The shape {@link #price} looks up, or the two it interpolates between ({@code t} of the way to {@code hi}). */
  private record Plan(Instruction lo, Instruction hi, double t) {}

  private Plan plan(Instruction instruction) {
    if (bucketed && instruction instanceof Gemm g && g.m() > EXACT_ROWS) {
      int lo = gemmRowsBelow(g.m());
      int hi = rowBucketAbove(g.m());
      if (lo != hi && lo != g.m()) {
        return new Plan(withRows(g, lo), withRows(g, hi), (double) (g.m() - lo) / (hi - lo));
      }
    }
    int tokens = bucketed ? tokens(instruction) : 0;
    if (tokens > EXACT_ROWS) {
      int lo = rowBucketBelow(tokens);
      int hi = rowBucketAbove(tokens);
      if (lo != hi) {
        return new Plan(withTokens(instruction, lo), withTokens(instruction, hi), (double) (tokens - lo) / (hi - lo));
      }
    }
    if (bucketed && (instruction instanceof Activation || instruction instanceof Elementwise)) {
      long elements = instruction instanceof Activation a ? a.elements() : ((Elementwise) instruction).elements();
      if (elements > 1 << 16) {
        long lo = Long.highestOneBit(elements);
        if (lo != elements) {
          return new Plan(withElements(instruction, lo), withElements(instruction, 2 * lo),
              (double) (elements - lo) / lo);
        }
      }
    }
    return new Plan(instruction, null, 0);
  }

  /**
   * Simulates the new shapes {@code instructions} will need, this thread and the helper threads taking
   * them in turn (a first run's iteration brings tens of new xPU shapes of seconds each). Each shape runs
   * on its own fresh device, so its price is the one {@link #price} would simulate; shapes it composes
   * are left to it, and a shape whose simulation fails is left for {@link #price} to fail on in order.
   */
  @Override
  public void prefetch(Collection<Instruction> instructions) {
    if (helperCount == 0 || !(inner instanceof CycleOpModel)) {
      return;
    }
    Map<Instruction, Instruction> todo = new LinkedHashMap<>(); // key -> canonical shape
    for (Instruction ins : instructions) {
      if (bucketed && CycleOpModel.composes(ins)) {
        continue;
      }
      Plan p = plan(ins);
      need(todo, p.lo());
      if (p.hi() != null) {
        need(todo, p.hi());
      }
    }
    if (todo.size() < 2) {
      return;
    }
    List<Map.Entry<Instruction, Instruction>> jobs = new ArrayList<>(todo.entrySet());
    // longest first, so that the threads end together rather than one waiting on the last long shape
    // (order changes no price: each shape runs on its own fresh device)
    jobs.sort(Comparator.comparingLong((Map.Entry<Instruction, Instruction> j) -> simulationCost(j.getValue()))
        .reversed());
    OpResult[] done = new OpResult[jobs.size()];
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < jobs.size(); i = next.getAndIncrement()) {
        try {
          done[i] = priced(jobs.get(i).getKey(), jobs.get(i).getValue());
        } catch (RuntimeException e) {
          // price() simulates it again and fails there, in the run's own order
        }
      }
    };
    // as many helpers as there are shapes beyond the caller's first; a helper busy with another run's
    // shapes (a sweep) may never start, and then its share is the caller's
    List<Offer<Void>> others = new ArrayList<>();
    for (int h = 0; h < Math.min(helperCount, jobs.size() - 1); h++) {
      others.add(new Offer<>(helpers, () -> {
        worker.run();
        return null;
      }));
    }
    try {
      worker.run();
    } finally {
      for (Offer<Void> other : others) {
        if (!other.takeBack()) {
          other.join(); // no simulation outlives the call
        }
      }
    }
    for (int i = 0; i < jobs.size(); i++) {
      if (done[i] != null) {
        cache.put(jobs.get(i).getKey(), done[i]);
      }
    }
  }

  /**
   * A shape's simulation cost, for ordering only: its bytes, or its flops at 300 per byte (about an
   * xPU's compute to bandwidth) when it is compute-bound; a simulation's wall time follows the cycles it
   * simulates.
   */
  static long simulationCost(Instruction shape) {
    return Math.max(shape.bytes(), shape.flops() / 300);
  }

  private void need(Map<Instruction, Instruction> todo, Instruction shape) {
    Instruction canonical = bucket(shape);
    Instruction key = canonical.withHeader(0, IntSeq.empty());
    if (!cache.containsKey(key)) {
      todo.putIfAbsent(key, canonical);
    }
  }

  /**
   * Token rows of a per-token streaming op (norm, rotary, KV append or read, gate), which memo
   * interpolates like a GEMM's rows (a prefill of any length is a new shape); 0 for other instructions.
   */
  private static int tokens(Instruction ins) {
    if (ins instanceof Norm n) {
      return n.tokens();
    }
    if (ins instanceof Rotary r) {
      return r.tokens();
    }
    if (ins instanceof KvAppend k) {
      return k.tokens();
    }
    if (ins instanceof KvRead k) {
      return k.tokens();
    }
    if (ins instanceof TopKGate g) {
      return g.tokens();
    }
    return 0;
  }

  private static Instruction withTokens(Instruction ins, int t) {
    if (ins instanceof Norm n) {
      return new Norm(n.id(), n.unit(), n.deps(), n.kind(), t, n.hidden(), n.format());
    }
    if (ins instanceof Rotary r) {
      return new Rotary(r.id(), r.unit(), r.deps(), t, r.heads(), r.headDim(), r.format());
    }
    if (ins instanceof KvAppend k) {
      return new KvAppend(k.id(), k.unit(), k.deps(), t, k.layers(), k.bytesPerToken(), k.placement());
    }
    if (ins instanceof KvRead k) {
      return new KvRead(k.id(), k.unit(), k.deps(), t, k.layers(), k.bytesPerToken(), k.placement());
    }
    TopKGate g = (TopKGate) ins;
    return new TopKGate(g.id(), g.unit(), g.deps(), t, g.experts(), g.k(), g.format());
  }

  /** A streaming vector op over a different number of elements (they scale like token rows). */
  private static Instruction withElements(Instruction ins, long elements) {
    if (ins instanceof Activation a) {
      return new Activation(a.id(), a.unit(), a.deps(), a.kind(), elements, a.format());
    }
    Elementwise e = (Elementwise) ins;
    return new Elementwise(e.id(), e.unit(), e.deps(), e.kind(), elements, e.format());
  }

  /**
   * Row buckets: powers of two up to 128, then multiples of 128 (the xPU's output tile height, where a
   * GEMM's time steps: see {@link #gemmRowsBelow}). Between two buckets time, bytes and energy are
   * interpolated linearly in m.
   */
  static int rowBucketBelow(int m) {
    if (m <= 128) {
      return Integer.highestOneBit(m);
    }
    return m / 128 * 128;
  }

  /**
   * A GEMM's lower simulated row count: above 128 rows an xPU GEMM's time steps up when its rows need
   * another 128-row output tile (640 to 641 rows: +24% for a Mixtral expert) and rises gently between
   * steps, so the bucket (128 j, 128 (j + 1)] is simulated at its first and last row counts, 128 j + 1
   * and 128 (j + 1), and interpolated between them.
   */
  static int gemmRowsBelow(int m) {
    if (m <= 128) {
      return rowBucketBelow(m);
    }
    int hi = rowBucketAbove(m);
    return hi == m ? m : hi - 127;
  }

  static int rowBucketAbove(int m) {
    int lo = rowBucketBelow(m);
    if (lo == m) {
      return m;
    }
    return m < 128 ? lo * 2 : lo + 128;
  }

  private static Gemm withRows(Gemm g, int m) {
    return new Gemm(g.id(), g.unit(), g.deps(), m, g.k(), g.n(), g.weightFormat(), g.activationFormat(), g.weights(),
        g.input(), g.output());
  }

  private static OpResult interpolate(OpResult a, OpResult b, double t, long flops) {
    double ns = a.timeNs() + t * (b.timeNs() - a.timeNs());
    long bytes = Math.round(a.bytes() + t * (b.bytes() - a.bytes()));
    Map<String, Double> energy = new LinkedHashMap<>();
    a.energyBreakdownPj().forEach((k, v) -> energy.put(k, v + t * (b.energyBreakdownPj().getOrDefault(k, 0.0) - v)));
    b.energyBreakdownPj().forEach((k, v) -> energy.putIfAbsent(k, t * v));
    double total = energy.values().stream().mapToDouble(Double::doubleValue).sum();
    return new OpResult(Math.round(a.unitCycles() + t * (b.unitCycles() - a.unitCycles())), ns, flops, bytes,
        flops / ns / 1000, bytes / ns, a.busyFraction() + t * (b.busyFraction() - a.busyFraction()),
        t < 0.5 ? a.bound() : b.bound(), total, energy);
  }

  /**
   * Both shapes an interpolation needs, as {@link #cached} gives them. When both are new
   * cycle-level simulations and there is a helper thread, the second runs on a helper while this thread
   * runs the first (or on this thread after it, if no helper had started it): each runs on its own fresh
   * device, so the prices are the same either way, only the wall time shrinks.
   */
  private OpResult[] cachedPair(Instruction first, Instruction second) {
    Instruction secondCanonical = bucket(second);
    Instruction secondKey = secondCanonical.withHeader(0, IntSeq.empty());
    if (helperCount == 0 || !(inner instanceof CycleOpModel) || cache.containsKey(secondKey)
        || cache.containsKey(bucket(first).withHeader(0, IntSeq.empty()))) {
      return new OpResult[] {cached(first), cached(second)};
    }
    Offer<OpResult> other = new Offer<>(helpers, () -> priced(secondKey, secondCanonical));
    OpResult a;
    try {
      a = cached(first);
    } catch (RuntimeException | Error e) {
      try {
        if (!other.takeBack()) {
          other.join(); // no simulation outlives the call
        }
      } catch (RuntimeException | Error also) {
        e.addSuppressed(also);
      }
      throw e;
    }
    OpResult b = other.takeBack() ? priced(secondKey, secondCanonical) : other.join();
    cache.put(secondKey, b);
    return new OpResult[] {a, b};
  }

  /**
   * Work handed to a helper thread, which may be busy with another run's shapes (a sweep): the caller
   * can take it back while it has not started, and then does it itself or drops it.
   */
  private static final class Offer<T> {
    private final AtomicInteger state = new AtomicInteger(); // 0 queued, 1 started there, 2 taken back
    private final Future<T> future;

    Offer(ExecutorService helpers, Callable<T> work) {
      future = helpers.submit(() -> state.compareAndSet(0, 1) ? work.call() : null);
    }

    /** True when it had not started: it never will. */
    boolean takeBack() {
      return state.compareAndSet(0, 2);
    }

    /** Its result, once done (its exception rethrown as it was). */
    T join() {
      try {
        return future.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while a shape was simulated", e);
      }
    }
  }


  private ExecutorService helpers;
  private int helperCount;

  /**
   * Simulates new shapes beside the caller on {@code count} threads of {@code pool} instead of the
   * process's shared helpers (0: none, every shape on the caller's thread). Prices do not depend on it.
   */
  MemoOpModel withHelpers(ExecutorService pool, int count) {
    this.helpers = count == 0 ? null : pool;
    this.helperCount = count;
    return this;
  }

  /** Saves new prices to the store every {@code nanos} while pricing (tests). */
  MemoOpModel savingEvery(long nanos) {
    saveInterval = nanos;
    return this;
  }

  private OpResult cached(Instruction instruction) {
    Instruction canonical = bucket(instruction);
    // the shape: everything but the id and the dependencies (records compare their components)
    Instruction key = canonical.withHeader(0, IntSeq.empty());
    OpResult r = cache.get(key);
    if (r != null) {
      hits++;
      return r;
    }
    if (bucketed && inner instanceof CycleOpModel cycle) {
      // decode attention on a near-memory unit: composed from its pairs' runs, which runs share
      long start = System.nanoTime();
      OpResult composed = cycle.composedAttention(canonical);
      if (composed != null) {
        synchronized (this) {
          composedShapes++;
          long[] stat = simulated.computeIfAbsent("Attention@" + canonical.unit().label() + " (composed)",
              k -> new long[2]);
          stat[0]++;
          stat[1] += System.nanoTime() - start;
        }
        cache.put(key, composed);
        if (stores != null) {
          stores.of(canonical.unit()).saveIfDue(saveInterval); // its pair runs are calibrations the store keeps
        }
        return composed;
      }
    }
    r = priced(key, canonical);
    cache.put(key, r);
    return r;
  }

  /** The price of a shape not in the cache: from the store, or simulated (callable from a helper thread). */
  private OpResult priced(Instruction key, Instruction canonical) {
    if (stores == null) {
      return simulate(canonical);
    }
    MemoStore store = stores.of(key);
    // another run sharing the store may be simulating this shape right now: wait for its price
    boolean[] mine = new boolean[1];
    OpResult r = store.priceOnce(key, () -> {
      mine[0] = true;
      return simulate(canonical);
    });
    if (!mine[0]) {
      synchronized (this) {
        stored++;
      }
    } else {
      store.saveIfDue(saveInterval);
    }
    return r;
  }

  private OpResult simulate(Instruction canonical) {
    long start = System.nanoTime();
    OpResult r = inner.price(canonical);
    long wall = System.nanoTime() - start;
    synchronized (this) {
      misses++;
      long[] stat = simulated.computeIfAbsent(canonical.getClass().getSimpleName() + "@" + canonical.unit().label(),
          k -> new long[2]);
      stat[0]++;
      stat[1] += wall;
    }
    return r;
  }

  /** The instruction with its continuously varying sizes rounded to their buckets. */
  Instruction bucket(Instruction ins) {
    if (!(ins instanceof Attention a) || !bucketed) {
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

  /** Shapes simulated and wall seconds spent, per instruction kind and unit ("Gemm@xpu" -> [count, s]). */
  public synchronized Map<String, double[]> simulatedShapes() {
    Map<String, double[]> out = new TreeMap<>();
    simulated.forEach((k, v) -> out.put(k, new double[] {v[0], v[1] / 1e9}));
    return out;
  }

  public long hits() {
    return hits;
  }

  /** Shapes simulated so far (also read by a progress display while helper threads simulate). */
  public synchronized long misses() {
    return misses;
  }

  /** The stores this memo keeps prices in, or null without any. */
  public MemoStores stores() {
    return stores;
  }

  /** Saves the shapes simulated into the store, if there is one. */
  public void saveStore() {
    if (stores != null) {
      stores.all().forEach(MemoStore::save);
    }
  }

  /** Decode attention shapes composed from single-pair runs ({@link CycleOpModel#composedAttention}). */
  public long composedShapes() {
    return composedShapes;
  }

  /** Shapes found in the {@link MemoStore} (simulated by an earlier run). */
  public long storedHits() {
    return stored;
  }
}
