package io.duplexsim.units.nearmemory;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.memory.MemorySystem;
import io.duplexsim.memory.energy.DramEnergy;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.InputException;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.TimeBase;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.nearmemory.AttentionPlacement.Pair;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decode attention on the near-memory units (Logic-PIM, Bankgroup-PIM, Bank-PIM), cycle by cycle
 * through the HBM model. Each (request, KV head) pair sits in one pseudo-channel
 * ({@link AttentionPlacement}); that pseudo-channel's module streams the pair's K and computes the
 * g x L scores (g = GQA group x query tokens), the stack's shared {@link SoftmaxUnit} normalises them,
 * and only then may the module multiply the probabilities by the streamed V. A module runs its pairs
 * software-pipelined, K0 K1 V0 K2 V1 ... V(n-1), so the next pair's scores hide a softmax; the last
 * pair's softmax, and any queueing at the shared unit, are exposed.
 *
 * <p>Reported: bytes = K and V read; flops = {@link Attention#flops()}; energy = the memory system's,
 * MACs at {@link NearMemoryGemm#MAC_PJ} and softmax at {@link SoftmaxUnitConfig#energyPj}. Score
 * movement between the banks and the buffer-die softmax unit (Bank-PIM, Bankgroup-PIM; g/d of the K
 * bytes) is not simulated.
 */
public final class NearMemoryAttention {
  private NearMemoryAttention() {}

  /**
   * Runs decode attention. Stacks do not interact (each has its own controllers and softmax unit),
   * so stacks given identical work are simulated once on a one-stack system and combined, the faster
   * kinds re-run until the slowest's end as the whole device would; equal to
   * {@link #runAllStacks} (tested).
   */
  public static OpResult run(NearMemoryConfig pim, MemoryConfig memoryConfig, Attention a) {
    checkDecode(pim, a);
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    int stacks = memoryConfig.stacks();
    int perStack = standard.org().pseudoChannelsPerStack();
    List<List<Pair>> perPc = AttentionPlacement.place(a, stacks, perStack);
    // Stacks with the same pair shapes per pseudo-channel behave identically.
    Map<List<List<List<Long>>>, Integer> kinds = new LinkedHashMap<>();
    Map<List<List<List<Long>>>, List<List<Pair>>> work = new LinkedHashMap<>();
    for (int s = 0; s < stacks; s++) {
      List<List<Pair>> stack = perPc.subList(s * perStack, (s + 1) * perStack);
      List<List<List<Long>>> shape = new ArrayList<>();
      for (List<Pair> pc : stack) {
        List<List<Long>> p = new ArrayList<>();
        for (Pair pair : pc) {
          p.add(List.of((long) pair.queryTokens(), (long) pair.kvLength(), pair.scores()));
        }
        shape.add(p);
      }
      kinds.merge(shape, 1, Integer::sum);
      work.putIfAbsent(shape, stack);
    }
    if (stacks == 1 || kinds.size() == stacks) {
      return runAllStacks(pim, memoryConfig, a);
    }
    MemoryConfig one = memoryConfig.toBuilder().stacks(1).build();
    List<List<List<Pair>>> stacksOfKind = new ArrayList<>(work.values());
    List<Integer> counts = new ArrayList<>(kinds.values());
    // The whole device runs until its slowest stack is done; the others keep refreshing until then.
    // The most loaded kind goes first; the others run to its end, and any that turns out slower
    // sets a new end for all.
    int first = 0;
    for (int i = 1; i < stacksOfKind.size(); i++) {
      if (kvLength(stacksOfKind.get(i)) > kvLength(stacksOfKind.get(first))) {
        first = i;
      }
    }
    List<Sim> sims = new ArrayList<>(Collections.nCopies(stacksOfKind.size(), (Sim) null));
    sims.set(first, simulate(pim, one, a, stacksOfKind.get(first), -1));
    long lastStop = sims.get(first).stopTick();
    boolean settled = false;
    while (!settled) {
      settled = true;
      for (int i = 0; i < sims.size(); i++) {
        Sim sim = sims.get(i);
        if (sim == null || sim.stopTick() < lastStop) {
          sim = simulate(pim, one, a, stacksOfKind.get(i), lastStop);
          if (sim == null) { // not done by then: it is the slowest so far
            sim = simulate(pim, one, a, stacksOfKind.get(i), -1);
            lastStop = sim.stopTick();
            settled = false;
          }
          sims.set(i, sim);
        }
      }
    }
    Sim total = sims.get(0).times(counts.get(0));
    for (int i = 1; i < sims.size(); i++) {
      total = total.plus(sims.get(i).times(counts.get(i)));
    }
    return total.result(a, memoryConfig, standard);
  }

  private static long kvLength(List<List<Pair>> stack) {
    long sum = 0;
    for (List<Pair> pc : stack) {
      for (Pair p : pc) {
        sum += p.kvLength();
      }
    }
    return sum;
  }

  /** Simulates every stack (the reference for {@link #run}'s replication). */
  public static OpResult runAllStacks(NearMemoryConfig pim, MemoryConfig memoryConfig, Attention a) {
    checkDecode(pim, a);
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    List<List<Pair>> perPc = AttentionPlacement.place(a, memoryConfig.stacks(),
        standard.org().pseudoChannelsPerStack());
    return simulate(pim, memoryConfig, a, perPc, -1).result(a, memoryConfig, standard);
  }

  /**
   * Prefill attention is rejected: its Op/B grows with the prompt, Duplex runs it on the xPU (while
   * decode attention runs on Logic-PIM), and a PIM run of it would be compute-bound on units built
   * for Op/B 1-32.
   */
  private static void checkDecode(NearMemoryConfig pim, Attention a) {
    if (a.phase() != AttentionPhase.DECODE) {
      throw prefillRejected(pim.name());
    }
  }

  /** The one message for prefill attention asked of near-memory unit {@code unit}. */
  public static InputException prefillRejected(String unit) {
    return new InputException("prefill attention is not run on " + unit + ": Duplex runs it on the xPU (its Op/B "
        + "grows with the prompt length); near-memory units run decode attention");
  }

  /**
   * What a simulated run sums to; additive over stacks.
   *
   * @param done module cycles until the last context finished (a max, not summed)
   * @param doneHbm memory command cycles until then
   * @param macBusy MAC-busy module cycles, summed over modules
   * @param modules modules simulated
   * @param softmaxBusy busy cycles of the softmax units, summed
   * @param softmaxCycles softmax-unit cycles the run lasted, summed over units
   */
  private record Sim(long done, double ns, long doneHbm, long macBusy, long modules, long softmaxBusy,
      long softmaxCycles, long softmaxElements, Map<String, Double> energy, long stopTick, double hbmNsPerCycle) {
    Sim times(int n) {
      Map<String, Double> e = new LinkedHashMap<>();
      energy.forEach((k, v) -> e.put(k, v * n));
      return new Sim(done, ns, doneHbm, macBusy * n, modules * n, softmaxBusy * n, softmaxCycles * n,
          softmaxElements * n, e, stopTick, hbmNsPerCycle);
    }

    Sim plus(Sim o) {
      Map<String, Double> e = new LinkedHashMap<>(energy);
      o.energy.forEach((k, v) -> e.merge(k, v, Double::sum));
      boolean later = o.done > done;
      return new Sim(Math.max(done, o.done), later ? o.ns : ns, Math.max(doneHbm, o.doneHbm), macBusy + o.macBusy,
          modules + o.modules, softmaxBusy + o.softmaxBusy, softmaxCycles + o.softmaxCycles,
          softmaxElements + o.softmaxElements, e, Math.max(stopTick, o.stopTick), hbmNsPerCycle);
    }

    OpResult result(Attention a, MemoryConfig memoryConfig, DramStandard standard) {
      Map<String, Double> e = new LinkedHashMap<>(energy);
      // Background power is per stack over the whole run.
      double backgroundMw = DramEnergy.withOverrides(memoryConfig.energyOverrides()).backgroundMw();
      e.put("dram.background", backgroundMw * memoryConfig.stacks() * doneHbm * hbmNsPerCycle);
      double total = e.values().stream().mapToDouble(Double::doubleValue).sum();
      long flops = a.flops();
      long bytes = a.kvBytes();
      double mac = done == 0 ? 0 : macBusy / ((double) done * modules);
      double softmax = softmaxCycles == 0 ? 0 : softmaxBusy / (double) softmaxCycles;
      String bound = mac > 0.9 ? "compute" : softmax > 0.9 ? "softmax" : "memory";
      return new OpResult(done, ns, flops, bytes, flops / ns / 1000, bytes / ns, mac, bound, total, e);
    }
  }

  /**
   * Simulates the stacks of {@code memoryConfig} with the pairs {@code perPc} (one list per
   * pseudo-channel). The run stops once every module has its last chunk, or, given {@code untilTick},
   * exactly at that tick; null if some module has not started its last chunk by then.
   */
  private static Sim simulate(NearMemoryConfig pim, MemoryConfig memoryConfig, Attention a, List<List<Pair>> perPc,
      long untilTick) {
    return simulate(pim, memoryConfig, a, perPc, untilTick, null);
  }

  /**
   * One pair alone in the first pseudo-channel of {@code oneStack} (a one-stack system), with the
   * module cycles its scores were done and its context's gate opened: what {@link ComposedAttention}
   * builds batches from.
   */
  static ComposedAttention.PairRun runPair(NearMemoryConfig pim, MemoryConfig oneStack, Attention one) {
    DramStandard standard = MemorySystem.standardOf(oneStack);
    List<List<Pair>> perPc = AttentionPlacement.place(one, 1, standard.org().pseudoChannelsPerStack());
    long[] probe = {-1, -1};
    Sim sim = simulate(pim, oneStack, one, perPc, -1, probe);
    Map<String, Double> energy = new LinkedHashMap<>(sim.energy());
    energy.remove("dram.background");
    energy.remove("dram.refresh");
    return new ComposedAttention.PairRun(probe[0], probe[1], sim.done(), sim.macBusy(), energy);
  }

  /**
   * The MAC end cycle of each of {@code chunks} chunks one module streams without a gate from cycle 0,
   * as a decode pair's K (or V) of {@code queryTokens} query rows of {@code a}'s group streams: a pseudo-channel's
   * stream over time, refreshes included.
   */
  static long[] streamEnds(NearMemoryConfig pim, MemoryConfig oneStack, Attention a, int queryTokens, int chunks) {
    MemoryRig rig = MemoryRig.of(oneStack, pim);
    DramStandard standard = rig.standard();
    Scheduler scheduler = rig.scheduler();
    int chunkBytes = pim.chunkBytes(standard.org());
    long elementsPerChunk = (long) Math.floor(chunkBytes / a.format().bytesPerElement());
    StreamingModule m = new StreamingModule(0, 0, standard.org().pseudoChannelsPerStack(), rig.memory(), scheduler,
        rig.pimClock(), chunkBytes, new long[] {chunks}, new long[] {elementsPerChunk * a.groupSize() * (long) queryTokens},
        new boolean[] {false}, pim, scheduler::stop, null);
    long[] ends = new long[chunks];
    m.recordChunkEnds(ends);
    m.attach(scheduler.register(m, rig.pimClock()));
    scheduler.run();
    return ends;
  }

  /**
   * The refresh commands one stack of {@code oneStack} issues while idle for {@code hbmCycles} command
   * cycles, by issue cycle (sorted), and the energy of each: the controllers refresh on their schedule
   * whatever the load.
   */
  static RefreshTimeline refreshTimeline(MemoryConfig oneStack, long hbmCycles) {
    DramStandard standard = MemorySystem.standardOf(oneStack);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    TimeBase.of(List.of(hbm));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), oneStack.fastForward());
    LongArrayList cycles = new LongArrayList();
    MemorySystem memory = new MemorySystem(oneStack, standard, hbm, scheduler,
        (cycle, pc, command, rank, bankGroup, bank, row, column) -> {
          if (standard.command(command).refresh()) {
            cycles.add(cycle);
          }
        });
    scheduler.run(hbm.tickOf(hbmCycles));
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, hbmCycles);
    long[] sorted = cycles.toLongArray();
    Arrays.sort(sorted);
    double total = ledger.byCategory().getOrDefault("dram.refresh", 0.0);
    return new RefreshTimeline(sorted, sorted.length == 0 ? 0 : total / sorted.length, hbmCycles);
  }

  /** Refresh commands of an idle stack up to {@code horizon}: their issue cycles and energy each. */
  public record RefreshTimeline(long[] cycles, double pjEach, long horizon) {
    /** Refresh energy of the commands issued by command cycle {@code hbmCycles} (at most the horizon). */
    double pjBy(long hbmCycles) {
      int i = Arrays.binarySearch(cycles, hbmCycles);
      // commands issued on or before the cycle count
      int n = i >= 0 ? upperOf(i, hbmCycles) : -i - 1;
      return n * pjEach;
    }

    private int upperOf(int i, long c) {
      while (i < cycles.length && cycles[i] == c) {
        i++;
      }
      return i;
    }
  }

  /** As above; {@code probe}, if given, gets the module cycle of the first scores done and first gate opened. */
  private static Sim simulate(NearMemoryConfig pim, MemoryConfig memoryConfig, Attention a, List<List<Pair>> perPc,
      long untilTick, long[] probe) {
    DramStandard standard = MemorySystem.standardOf(memoryConfig);
    ClockDomain hbm = new ClockDomain("hbm.command", standard.commandClockHz());
    ClockDomain pimClock = new ClockDomain(pim.name(), pim.clockMHz() * 1_000_000L);
    ClockDomain softmaxClock = softmaxClock(pim, pimClock);
    TimeBase.of(softmaxClock == pimClock ? List.of(hbm, pimClock) : List.of(hbm, pimClock, softmaxClock));
    Scheduler scheduler = new Scheduler(hbm.timeBase(), memoryConfig.fastForward());
    MemorySystem memory = new MemorySystem(memoryConfig, standard, hbm, scheduler, null);
    int stacks = memoryConfig.stacks();
    Job job = new Job(pim, memory, scheduler, pimClock, softmaxClock, a, perPc, 0,
        untilTick < 0 ? scheduler::stop : () -> { }, probe);
    if (untilTick < 0) {
      scheduler.run();
    } else {
      scheduler.run(untilTick);
    }
    long stopTick = scheduler.now();
    if (untilTick >= 0 && StreamingModule.lastDoneCycle(job.modules) < 0) {
      return null; // the run needs longer than untilTick
    }
    long done = job.doneCycle();
    long doneTick = pimClock.tickOf(done);
    long doneHbm = hbm.cycleAtOrAfter(doneTick);
    EnergyLedger ledger = new EnergyLedger();
    memory.postEnergy(ledger, doneHbm);
    job.addUnitEnergy(ledger);
    return new Sim(done, pimClock.nsOf(done), doneHbm, StreamingModule.busyCycles(job.modules), job.modules.size(), job.softmaxBusy(),
        softmaxClock.cycleAtOrAfter(doneTick) * stacks, job.softmaxElements(), ledger.byCategory(), stopTick,
        hbm.nsOf(1));
  }

  /** The stack's softmax unit's clock: the unit's own when they run at the same frequency. */
  public static ClockDomain softmaxClock(NearMemoryConfig pim, ClockDomain pimClock) {
    return pim.softmax().clockMHz() == pim.clockMHz() ? pimClock
        : new ClockDomain(pim.name() + ".softmax", pim.softmax().clockMHz() * 1_000_000L);
  }

  /**
   * Registers one decode attention's modules and softmax units with a running device (its scheduler,
   * memory, the unit's clock and {@link #softmaxClock}), K and V placed from byte {@code addressBase}
   * on; {@code onDone} runs once every module has its last chunk. Other units may share the memory at
   * the same time.
   */
  public static Job start(NearMemoryConfig pim, MemorySystem memory, Scheduler scheduler, ClockDomain pimClock,
      ClockDomain softmaxClock, Attention a, long addressBase, Runnable onDone) {
    checkDecode(pim, a);
    int perStack = memory.standard().org().pseudoChannelsPerStack();
    List<List<Pair>> perPc = AttentionPlacement.place(a, memory.pseudoChannels() / perStack, perStack);
    return new Job(pim, memory, scheduler, pimClock, softmaxClock, a, perPc, addressBase, onDone, null);
  }

  /** One decode attention on a device: a streaming module per pseudo-channel, a softmax unit per stack. */
  public static final class Job {
    private final NearMemoryConfig pim;
    private final Attention a;
    private final ClockDomain pimClock;
    private final List<List<Pair>> perPc;
    private final List<StreamingModule> modules = new ArrayList<>();
    private final List<SoftmaxUnit> units = new ArrayList<>();

    private Job(NearMemoryConfig pim, MemorySystem memory, Scheduler scheduler, ClockDomain pimClock,
        ClockDomain softmaxClock, Attention a, List<List<Pair>> perPc, long addressBase, Runnable onDone,
        long[] probe) {
      this.pim = pim;
      this.a = a;
      this.pimClock = pimClock;
      this.perPc = perPc;
      DramStandard standard = memory.standard();
      int pcs = perPc.size();
      int stacks = pcs / standard.org().pseudoChannelsPerStack();
      int chunkBytes = pim.chunkBytes(standard.org());
      double bytesPerElement = a.format().bytesPerElement();
      long elementsPerChunk = (long) Math.floor(chunkBytes / bytesPerElement);
      for (int s = 0; s < stacks; s++) {
        units.add(new SoftmaxUnit(pim.softmax(), softmaxClock, scheduler));
      }
      int[] remaining = {pcs};
      Runnable moduleDone = () -> {
        if (--remaining[0] == 0) {
          onDone.run();
        }
      };
      for (int pc = 0; pc < pcs; pc++) {
        List<Pair> pairs = perPc.get(pc);
        int n = pairs.size();
        int segments = 2 * n;
        long[] chunks = new long[segments];
        long[] macs = new long[segments];
        boolean[] gated = new boolean[segments];
        int[] pairOf = new int[segments];
        int[] contextSegment = new int[n];
        // Order K0 K1 V0 K2 V1 ... V(n-1): the next pair's scores overlap this pair's softmax.
        int s = 0;
        for (int i = 0; i <= n; i++) {
          if (i < n) {
            pairOf[s] = i;
            s++;
          }
          if (i >= 1) {
            pairOf[s] = i - 1;
            gated[s] = true;
            contextSegment[i - 1] = s;
            s++;
          }
        }
        for (int seg = 0; seg < segments; seg++) {
          Pair p = pairs.get(pairOf[seg]);
          long bytes = (long) Math.ceil((double) p.kvLength() * a.headDim() * bytesPerElement);
          chunks[seg] = (bytes + chunkBytes - 1) / chunkBytes;
          macs[seg] = elementsPerChunk * a.groupSize() * (long) p.queryTokens();
        }
        SoftmaxUnit unit = units.get(pc / standard.org().pseudoChannelsPerStack());
        StreamingModule.SegmentListener scoresDone = (module, seg, cycle) -> {
          if (gated[seg]) {
            return; // a context finished; nothing waits on it
          }
          int context = contextSegment[pairOf[seg]];
          if (probe != null && probe[0] < 0) {
            probe[0] = cycle;
          }
          unit.submit(pairs.get(pairOf[seg]).scores(), pimClock.tickOf(cycle), tick -> {
            if (probe != null && probe[1] < 0) {
              probe[1] = pimClock.cycleAtOrAfter(tick);
            }
            module.openGate(context, tick);
          });
        };
        StreamingModule m = new StreamingModule(pc, pc, pcs, memory, scheduler, pimClock, chunkBytes, chunks, macs,
            gated, pim, moduleDone, scoresDone);
        if (addressBase != 0) {
          m.placeAt(addressBase);
        }
        modules.add(m);
      }
      // Modules first, then the softmax units: a unit sees a job submitted on the same tick.
      for (StreamingModule m : modules) {
        m.attach(scheduler.register(m, pimClock));
      }
      for (SoftmaxUnit u : units) {
        u.attach(scheduler.register(u, softmaxClock));
      }
    }

    /** Unit cycle at which the last module finished its last chunk (valid once done). */
    public long doneCycle() {
      return StreamingModule.requireDone(modules, pim.name() + " attention");
    }

    private long softmaxBusy() {
      return units.stream().mapToLong(SoftmaxUnit::busyCycles).sum();
    }

    private long softmaxElements() {
      return units.stream().mapToLong(SoftmaxUnit::elements).sum();
    }

    /** The modules' MACs (the full g x L rectangle twice, scores and context, per pair) and the softmax's. */
    private void addUnitEnergy(EnergyLedger ledger) {
      long macCount = 0;
      for (List<Pair> pairs : perPc) {
        for (Pair p : pairs) {
          macCount += 2L * a.groupSize() * p.queryTokens() * (long) p.kvLength() * a.headDim();
        }
      }
      ledger.add(pim.name() + ".mac", macCount * NearMemoryGemm.MAC_PJ);
      ledger.add(pim.name() + ".softmax", SoftmaxUnitConfig.energyPj(softmaxElements()));
    }

    /** The run's figures, with the memory's energy already posted to {@code ledger}. */
    public OpResult result(EnergyLedger ledger) {
      long done = doneCycle();
      addUnitEnergy(ledger);
      double ns = pimClock.nsOf(done);
      long flops = a.flops();
      long bytes = a.kvBytes();
      double mac = done == 0 ? 0 : StreamingModule.busyCycles(modules) / ((double) done * modules.size());
      return new OpResult(done, ns, flops, bytes, flops / ns / 1000, bytes / ns, mac, mac > 0.9 ? "compute" : "memory",
          ledger.totalPj(), ledger.byCategory());
    }
  }
}
