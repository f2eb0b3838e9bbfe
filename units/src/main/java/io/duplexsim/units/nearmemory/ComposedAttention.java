package io.duplexsim.units.nearmemory;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Placement;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.energy.DramEnergy;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.nearmemory.AttentionPlacement.Pair;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decode attention on a near-memory unit composed from cycle-level runs of single (request, KV head)
 * pairs: the memo fidelity's pricing of an operation whose shape (every request's KV length) is new
 * almost every iteration. Each pair length is simulated once, cycle by cycle, alone in a pseudo-channel
 * of a one-stack system: when its scores reach the softmax unit, when its context may start, when it is
 * done, and what it cost. A batch is then placed as {@link NearMemoryAttention} places it and each
 * module's pairs are laid out in its K0 K1 V0 K2 V1 ... order on the time line of a continuous stream
 * simulated on that pseudo-channel (refreshes included), a context no sooner than its softmax plus what
 * its own run took after it, and the stack's softmax unit is replayed exactly (one job at a time, in
 * arrival order); refresh energy follows an idle stack's refresh schedule. Pseudo-channels share nothing else in the
 * memory model (each has its own controller, command buses, banks and TSV channel), so what is not
 * simulated per batch is only how streams on one pseudo-channel meet at segment boundaries and refresh
 * phases; tests bound the gap to the cycle-level run of the whole batch.
 */
public final class ComposedAttention {
  private final NearMemoryConfig pim;
  private final MemoryConfig memory;
  private final MemoryConfig oneStack;
  /** Where pairs and streams run: a lone pseudo-channel if it runs as the stack's first does, else the stack. */
  private MemoryConfig pairMemory;
  private final DramStandard standard;
  private final int chunkBytes;
  private final double backgroundMw;
  /** Pair runs per kind of attention (group, head size, format, ...), by query tokens and KV length. */
  private final Map<Kind, Long2ObjectOpenHashMap<PairRun>> runs = new HashMap<>();
  private int pairRuns;

  /** What a pair's run depends on besides its query tokens and KV length. */
  private record Kind(Unit unit, int group, int headDim, boolean causal, TensorFormat format, Placement kv) {
    static Kind of(Attention a) {
      return new Kind(a.unit(), a.groupSize(), a.headDim(), a.causal(), a.format(), a.kv());
    }
  }

  public ComposedAttention(NearMemoryConfig pim, MemoryConfig memory) {
    this.pim = pim;
    this.memory = memory;
    this.oneStack = memory.toBuilder().stacks(1).build();
    this.standard = MemorySystem.standardOf(memory);
    this.chunkBytes = pim.chunkBytes(standard.org());
    this.backgroundMw = DramEnergy.withOverrides(memory.energyOverrides()).backgroundMw();
  }

  /** Pair lengths simulated so far. */
  public int pairRuns() {
    return pairRuns;
  }

  /**
   * A pair alone on a pseudo-channel, in module cycles: its scores done ({@code scores}), its context's
   * gate open ({@code gate}), its last MACs done ({@code done}); MAC-busy cycles and energy (without
   * background and refresh, which scale with the batch's time).
   */
  public record PairRun(long scores, long gate, long done, long macBusy, Map<String, Double> energy) {}

  /**
   * Where the cycle-level runs the composition is built from are kept: {@link #SIMULATE} keeps them in
   * this object only; a memo store keeps them for other runs and processes on the same build and hardware.
   */
  public interface Calibrations {
    /** The run named {@code name}, from {@code simulate} unless it is already kept. */
    <T> T once(String name, Class<T> type, Supplier<T> simulate);

    Calibrations SIMULATE = new Calibrations() {
      @Override
      public <T> T once(String name, Class<T> type, Supplier<T> simulate) {
        return simulate.get();
      }
    };
  }

  private Calibrations calibrations = Calibrations.SIMULATE;

  /** Keeps the pair runs and streams in {@code c} (they are simulated only if it does not have them). */
  public ComposedAttention keepingRunsIn(Calibrations c) {
    this.calibrations = c;
    return this;
  }

  /** Prices decode attention {@code a} (its KV lengths as they are: memo rounds them first). */
  public OpResult price(Attention a) {
    if (a.phase() != AttentionPhase.DECODE) {
      throw NearMemoryAttention.prefillRejected(pim.name());
    }
    int stacks = memory.stacks();
    int perStack = standard.org().pseudoChannelsPerStack();
    List<List<Pair>> perPc = AttentionPlacement.place(a, stacks, perStack);
    Tally tally = new Tally(runs.computeIfAbsent(Kind.of(a), k -> new Long2ObjectOpenHashMap<>()),
        (double) pim.clockMHz() / pim.softmax().clockMHz());
    // (the stages are methods of their own, each compiled apart: one body holding them all was
    // recompiled whole, at 90 kB of machine code, whenever the JIT met a new case in any of them)
    double done = 0;
    for (int s = 0; s < stacks; s++) {
      done = Math.max(done, replayStack(stackModules(a, perPc, s * perStack, (s + 1) * perStack, tally)));
    }
    return result(a, tally, done, stacks, perStack);
  }

  /** What a batch's modules add up to while they are built: pair runs used, busy cycles, the last stream. */
  private static final class Tally {
    final Long2ObjectOpenHashMap<PairRun> kindRuns;
    final double softmaxRatio;
    /** Pairs' runs in first-use order (so energy sums in a fixed order), with how many pairs use each. */
    final Map<PairRun, int[]> used = new IdentityHashMap<>();
    final List<PairRun> usedOrder = new ArrayList<>();
    long[] lastStream;
    int lastQ;
    long macBusy;
    long softmaxBusy;
    long elements;

    Tally(Long2ObjectOpenHashMap<PairRun> kindRuns, double softmaxRatio) {
      this.kindRuns = kindRuns;
      this.softmaxRatio = softmaxRatio;
    }
  }

  /** The modules of pseudo-channels {@code [from, to)} (one stack) that hold pairs, in order. */
  private List<Module> stackModules(Attention a, List<List<Pair>> perPc, int from, int to, Tally t) {
    List<Module> modules = new ArrayList<>();
    for (int pc = from; pc < to; pc++) {
      List<Pair> pairs = perPc.get(pc);
      if (pairs.isEmpty()) {
        continue;
      }
      PairRun[] r = new PairRun[pairs.size()];
      long[] kChunks = new long[pairs.size()];
      long total = 0;
      long[] serve = new long[pairs.size()];
      for (int i = 0; i < r.length; i++) {
        Pair p = pairs.get(i);
        r[i] = pair(a, t.kindRuns, p.queryTokens(), p.kvLength());
        kChunks[i] = chunks(a, p.kvLength());
        total += 2 * kChunks[i];
        serve[i] = Math.max(1, (p.scores() + pim.softmax().elementsPerCycle() - 1) / pim.softmax().elementsPerCycle());
        t.macBusy += r[i].macBusy;
        t.softmaxBusy += serve[i];
        t.elements += p.scores();
        int[] uses = t.used.get(r[i]);
        if (uses == null) {
          uses = new int[1];
          t.used.put(r[i], uses);
          t.usedOrder.add(r[i]);
        }
        uses[0]++;
      }
      // each pair's chunks advance at its own query-token count's stream (usually one for the module)
      long[][] streamOf = new long[r.length][];
      for (int i = 0; i < r.length; i++) {
        int q = pairs.get(i).queryTokens();
        if (t.lastStream == null || q != t.lastQ || t.lastStream.length < total) {
          t.lastStream = stream(a, q, total);
          t.lastQ = q;
        }
        streamOf[i] = t.lastStream;
      }
      modules.add(new Module(modules.size(), r, kChunks, serve, streamOf, t.softmaxRatio));
    }
    return modules;
  }

  /** The batch's result once every stack's modules are done by module cycle {@code done}. */
  private OpResult result(Attention a, Tally t, double done, int stacks, int perStack) {
    Map<String, Double> energy = new LinkedHashMap<>();
    for (PairRun run : t.usedOrder) {
      int n = t.used.get(run)[0];
      run.energy.forEach((k, v) -> energy.merge(k, v * n, Double::sum));
    }
    long doneCycles = (long) Math.ceil(done);
    double ns = doneCycles * 1000.0 / pim.clockMHz();
    double hbmNs = 1e9 / standard.commandClockHz();
    long pimHz = pim.clockMHz() * 1_000_000L;
    long hbmCycles = (Math.multiplyExact(doneCycles, standard.commandClockHz()) + pimHz - 1) / pimHz;
    energy.put("dram.refresh", refreshPj(hbmCycles) * stacks);
    long macCount = 0;
    for (int r = 0; r < a.requests(); r++) {
      macCount += 2L * a.groupSize() * a.queryTokens().get(r) * (long) a.kvLengths().get(r) * a.headDim() * a.kvHeads();
    }
    energy.put(pim.name() + ".mac", macCount * NearMemoryGemm.MAC_PJ);
    energy.put(pim.name() + ".softmax", SoftmaxUnitConfig.energyPj(t.elements));
    energy.put("dram.background", backgroundMw * stacks * hbmCycles * hbmNs);
    double total = energy.values().stream().mapToDouble(Double::doubleValue).sum();
    long flops = a.flops();
    long bytes = a.kvBytes();
    int modules = stacks * perStack;
    double mac = doneCycles == 0 ? 0 : t.macBusy / ((double) doneCycles * modules);
    double softmaxCycles = Math.ceil(doneCycles / t.softmaxRatio) * stacks;
    double softmax = softmaxCycles == 0 ? 0 : t.softmaxBusy / softmaxCycles;
    String bound = mac > 0.9 ? "compute" : softmax > 0.9 ? "softmax" : "memory";
    return new OpResult(doneCycles, ns, flops, bytes, flops / ns / 1000, bytes / ns, mac, bound, total, energy);
  }

  private NearMemoryAttention.RefreshTimeline refresh;

  /**
   * One stack's refresh energy by {@code hbmCycles}, from one idle run long enough (grown by doubling;
   * kept with the pair runs, so a later run on the same hardware simulates none).
   */
  private double refreshPj(long hbmCycles) {
    if (refresh == null || refresh.horizon() < hbmCycles) {
      long horizon = refresh == null ? 1 << 16 : refresh.horizon();
      while (horizon < hbmCycles) {
        horizon = Math.multiplyExact(horizon, 2);
      }
      long length = horizon;
      refresh = calibrations.once("composed-attention " + pim.name() + " refresh horizon=" + length,
          NearMemoryAttention.RefreshTimeline.class, () -> NearMemoryAttention.refreshTimeline(oneStack, length));
    }
    return refresh.pjBy(hbmCycles);
  }

  /** Chunks of one K (or V) segment of {@code kv} keys. */
  private long chunks(Attention a, int kv) {
    long bytes = (long) Math.ceil((double) kv * a.headDim() * a.format().bytesPerElement());
    return (bytes + chunkBytes - 1) / chunkBytes;
  }

  private record StreamKey(int queryTokens, int group, int headDim, TensorFormat format) {}

  private final Map<StreamKey, long[]> streams = new HashMap<>();

  /**
   * Chunk end cycles of an ungated stream of at least {@code chunks} chunks from cycle 0, simulated
   * once per query-token count and grown by doubling.
   */
  private long[] stream(Attention a, int q, long chunks) {
    StreamKey key = new StreamKey(q, a.groupSize(), a.headDim(), a.format());
    long[] ends = streams.get(key);
    if (ends == null || ends.length < chunks) {
      int n = ends == null ? 4096 : ends.length;
      while (n < chunks) {
        n = Math.multiplyExact(n, 2);
      }
      int length = n;
      ends = calibrations.once("composed-attention " + pim.name() + " stream " + key + " chunks=" + n, long[].class,
          () -> NearMemoryAttention.streamEnds(pim, pairMemory(a), a, q, length));
      streams.put(key, ends);
    }
    return ends;
  }

  /** The cycle-level run of one pair of {@code q} query tokens and {@code kv} keys, simulated once. */
  private PairRun pair(Attention a, Long2ObjectOpenHashMap<PairRun> kindRuns, int q, int kv) {
    long key = ((long) q << 32) | kv;
    PairRun r = kindRuns.get(key);
    if (r == null) {
      Attention one = new Attention(0, a.unit(), IntSeq.empty(), IntSeq.of(new int[] {q}), IntSeq.of(new int[] {kv}),
          a.groupSize(), 1, a.headDim(), a.causal(), a.phase(), a.format(), a.kv());
      r = calibrations.once("composed-attention " + pim.name() + " pair " + Kind.of(a) + " q=" + q + " kv=" + kv, PairRun.class,
          () -> NearMemoryAttention.runPair(pim, pairMemory(a), one));
      kindRuns.put(key, r);
      pairRuns++;
    }
    return r;
  }

  /**
   * A one-pseudo-channel system when a pair runs on it exactly as on the first pseudo-channel of a
   * stack (checked once: the address mapping or refresh schedule could depend on the channel count),
   * which saves building the stack's other controllers for every pair; else the one-stack system.
   */
  private MemoryConfig pairMemory(Attention a) {
    if (pairMemory == null) {
      MemoryConfig alone = oneStack.toBuilder().orgOverride("channels", 1).orgOverride("pseudoChannels", 1).build();
      Attention probe = new Attention(0, a.unit(), IntSeq.empty(), IntSeq.of(new int[] {1}), IntSeq.of(new int[] {1024}),
          a.groupSize(), 1, a.headDim(), a.causal(), a.phase(), a.format(), a.kv());
      boolean same = NearMemoryAttention.runPair(pim, alone, probe).equals(NearMemoryAttention.runPair(pim, oneStack, probe))
          && java.util.Arrays.equals(NearMemoryAttention.streamEnds(pim, alone, a, 1, 8192),
              NearMemoryAttention.streamEnds(pim, oneStack, a, 1, 8192));
      pairMemory = same ? alone : oneStack;
    }
    return pairMemory;
  }

  /** The modules of one stack run against its softmax unit; returns the last module's done cycle. */
  private static double replayStack(List<Module> modules) {
    // submissions in time order, ties in module order (modules tick before the unit, in order)
    SubmissionQueue submitted = new SubmissionQueue(2 * modules.size());
    for (Module m : modules) {
      m.start(submitted);
    }
    double unitFree = 0;
    while (submitted.size > 0) {
      double at = submitted.time[0];
      Module m = modules.get(submitted.module[0]);
      int pair = submitted.pair[0];
      submitted.poll();
      double start = Math.max(unitFree, at);
      unitFree = start + m.serveCycles(pair);
      m.gateOpens(pair, unitFree, submitted);
    }
    double done = 0;
    for (Module m : modules) {
      done = Math.max(done, m.done);
    }
    return done;
  }

  /**
   * Pairs waiting for the softmax unit, least (submission time, module) first: {@link java.util.PriorityQueue}'s
   * binary heap, step for step (so equal keys leave in the same order), over primitive arrays. A stack
   * replays a hundred pairs per batch and a run composes thousands of batches.
   */
  static final class SubmissionQueue {
    final double[] time;
    final int[] module;
    final int[] pair;
    int size;

    SubmissionQueue(int capacity) {
      time = new double[capacity];
      module = new int[capacity];
      pair = new int[capacity];
    }

    private int compare(double t, int m, int i) {
      // as the queue's comparator had it: times unequal by ==, else module order
      return t != time[i] ? Double.compare(t, time[i]) : Double.compare(m, module[i]);
    }

    void add(double t, int m, int p) {
      int k = size++;
      while (k > 0) {
        int parent = (k - 1) >>> 1;
        if (compare(t, m, parent) >= 0) {
          break;
        }
        move(parent, k);
        k = parent;
      }
      set(k, t, m, p);
    }

    /** Removes the head. */
    void poll() {
      int n = --size;
      if (n == 0) {
        return;
      }
      double t = time[n];
      int m = module[n];
      int p = pair[n];
      int k = 0;
      int half = n >>> 1;
      while (k < half) {
        int child = (k << 1) + 1;
        int right = child + 1;
        if (right < n && compare(time[child], module[child], right) > 0) {
          child = right;
        }
        if (compare(t, m, child) <= 0) {
          break;
        }
        move(child, k);
        k = child;
      }
      set(k, t, m, p);
    }

    private void move(int from, int to) {
      time[to] = time[from];
      module[to] = module[from];
      pair[to] = pair[from];
    }

    private void set(int k, double t, int m, int p) {
      time[k] = t;
      module[k] = m;
      pair[k] = p;
    }
  }

  /**
   * One pseudo-channel's module: its pairs' K and V streams in the order K0 K1 V0 K2 V1 ... V(n-1),
   * each ending when the pseudo-channel's continuous stream reaches its last chunk, later by what the
   * module has waited for gates so far; a context ends no sooner than its gate plus what its own run
   * took after its gate (the buffered chunks included).
   */
  private static final class Module {
    final int index;
    final PairRun[] runs;
    final long[] serve;
    final double softmaxRatio;
    /** When each pair's K and V would end in the module's stream without waiting for gates. */
    final double[] kAt;
    final double[] vAt;
    final double[] scores;
    /** How much later than the continuous stream the module is, from the gates waited on so far. */
    double shift;
    double done;

    /** {@code streamOf[i]}: chunk end cycles of a continuous stream at pair i's rate (its query tokens). */
    Module(int index, PairRun[] runs, long[] kChunks, long[] serve, long[][] streamOf, double softmaxRatio) {
      this.index = index;
      this.runs = runs;
      this.serve = serve;
      this.softmaxRatio = softmaxRatio;
      int n = runs.length;
      this.kAt = new double[n];
      this.vAt = new double[n];
      this.scores = new double[n];
      // stream order K0 K1 V0 K2 V1 ... V(n-1); each segment lasts what its chunks take in its pair's
      // stream at the same position (with one stream this is that stream's time line, exactly)
      long cum = 0;
      double at = 0;
      for (int i = 0; i <= n; i++) {
        if (i < n) {
          long[] e = streamOf[i];
          long next = cum + kChunks[i];
          at += e[(int) (next - 1)] - (cum == 0 ? 0 : e[(int) (cum - 1)]);
          cum = next;
          kAt[i] = at;
        }
        if (i >= 1) {
          long[] e = streamOf[i - 1];
          long next = cum + kChunks[i - 1];
          at += e[(int) (next - 1)] - e[(int) (cum - 1)];
          cum = next;
          vAt[i - 1] = at;
        }
      }
    }

    double serveCycles(int pair) {
      return serve[pair] * softmaxRatio;
    }

    void start(SubmissionQueue submitted) {
      scores[0] = kAt[0];
      submitted.add(scores[0], index, 0);
      if (runs.length > 1) {
        scores[1] = kAt[1];
        submitted.add(scores[1], index, 1);
      }
    }

    /** Pair {@code i}'s softmax is done at {@code unitDone}: its context can be laid out. */
    void gateOpens(int i, double unitDone, SubmissionQueue submitted) {
      PairRun r = runs[i];
      // the gate opens as long after the unit's result as in the pair's own run
      double gate = unitDone + (r.gate - r.scores - serveCycles(i));
      double end = Math.max(vAt[i] + shift, gate + (r.done - r.gate));
      shift = end - vAt[i];
      if (i + 2 < runs.length) {
        scores[i + 2] = kAt[i + 2] + shift;
        submitted.add(scores[i + 2], index, i + 2);
      }
      if (i == runs.length - 1) {
        done = end;
      }
    }
  }
}
