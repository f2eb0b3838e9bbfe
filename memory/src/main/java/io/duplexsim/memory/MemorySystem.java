package io.duplexsim.memory;

import io.duplexsim.memory.controller.PagePolicy;
import io.duplexsim.memory.controller.PseudoChannelController;
import io.duplexsim.memory.controller.RefreshMode;
import io.duplexsim.memory.controller.TimingLayout;
import io.duplexsim.memory.controller.TsvChannel;
import io.duplexsim.memory.energy.DramEnergy;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.mapping.AddressMapping;
import io.duplexsim.memory.standard.DataPath;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Standards;
import io.duplexsim.sim.ClockDomain;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.energy.EnergyLedger;
import io.duplexsim.sim.stats.Histogram;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HBM stacks as components: one controller, one conventional TSV channel and one Logic-PIM TSV
 * channel per pseudo-channel, registered with a scheduler in the memory command-clock domain.
 * Clients submit byte-addressed requests; the address mapping picks the pseudo-channel.
 */
public final class MemorySystem {
  private final MemoryConfig config;
  private final DramStandard standard;
  private final AddressMapping mapping;
  private final ClockDomain clock;
  private final PseudoChannelController[] controllers;
  private final TsvChannel[] tsvXpu;
  private final TsvChannel[] tsvPim;
  /** Per lane: the read latencies its controllers saw. */
  private final Histogram[] laneLatency;
  private final int lanes;
  private final DramEnergy energy;
  private final int[] decoded = new int[6];

  /** Loads the standard named in the config (with its overrides). */
  public static DramStandard standardOf(MemoryConfig config) {
    return Standards.load(config.standard(), config.orgOverrides(), config.timingOverrides());
  }

  public MemorySystem(MemoryConfig config, DramStandard standard, ClockDomain clock, Scheduler scheduler,
      CommandObserver observer) {
    this(config, standard, clock, new Scheduler[] {scheduler}, new CommandObserver[] {observer}, null);
  }

  /**
   * A memory system whose pseudo-channels are split into lanes, consecutive shares of them
   * ({@link #laneOf}), each lane's controllers registered with its own scheduler and showing their
   * commands to its own observer (null: none), so that each lane can run on a thread of its own. With
   * {@code requestTypes} (null: every type) it only takes requests of those types, and its controllers keep
   * the timing of the commands these need only.
   */
  public MemorySystem(MemoryConfig config, DramStandard standard, ClockDomain clock, Scheduler[] laneSchedulers,
      CommandObserver[] laneObservers, java.util.Set<RequestType> requestTypes) {
    if (laneSchedulers.length != laneObservers.length) {
      throw new IllegalArgumentException("one observer per lane");
    }
    this.config = config;
    this.lanes = laneSchedulers.length;
    this.standard = standard;
    this.clock = clock;
    this.energy = DramEnergy.withOverrides(config.energyOverrides());
    Organization org = standard.org();
    this.mapping = AddressMapping.of(config.mapping(), org, config.stacks());
    int n = config.stacks() * org.pseudoChannelsPerStack();
    if (lanes < 1 || lanes > n) {
      throw new IllegalArgumentException("lanes must be 1 to " + n + " (the pseudo-channels), got " + lanes);
    }
    controllers = new PseudoChannelController[n];
    laneLatency = new Histogram[lanes];
    for (int lane = 0; lane < lanes; lane++) {
      laneLatency[lane] = new Histogram();
    }
    tsvXpu = new TsvChannel[n];
    tsvPim = new TsvChannel[n];
    PagePolicy policy = PagePolicy.byName(config.pagePolicy());
    RefreshMode refresh = RefreshMode.byName(config.refresh());
    long tsvLatency = (long) Math.ceil(config.tsvLatencyPs() / (standard.tCKns() * 1000) - 1e-9);
    // derived once, shared by every pseudo-channel
    TimingLayout timing = requestTypes == null ? TimingLayout.of(standard)
        : TimingLayout.of(standard, PseudoChannelController.commandsFor(standard, requestTypes, refresh));
    for (int pc = 0; pc < n; pc++) {
      tsvXpu[pc] = new TsvChannel("tsv.xpu", org.dqBits() * config.tsvXpuWidth(), standard.beatsPerClock(), tsvLatency);
      tsvPim[pc] = new TsvChannel("tsv.pim", org.dqBits() * config.tsvPimWidth(), standard.beatsPerClock(), tsvLatency);
      int lane = laneOf(pc);
      Scheduler scheduler = laneSchedulers[lane];
      controllers[pc] = new PseudoChannelController(pc, standard, timing, config.readQueueSize(),
          config.writeQueueSize(), config.writeHighWatermark(), config.writeLowWatermark(), policy,
          config.adaptiveIdleCycles(), config.rowHitCap(), refresh, tsvXpu[pc], tsvPim[pc], laneObservers[lane], laneLatency[lane], scheduler, clock);
      controllers[pc].attach(scheduler.register(controllers[pc], clock));
    }
  }

  /**
   * Submits a request at {@code cycle}.
   *
   * @return false if the target controller's queue is full; {@code waiter} (a scheduler id, or -1)
   *     is then woken on the cycle after space frees
   */
  public boolean submit(long address, RequestType type, long tag, MemoryClient client, long cycle, int waiter) {
    mapping.decode(address, type, decoded);
    return submit(decoded[AddressMapping.PCH], decoded[AddressMapping.RANK], decoded[AddressMapping.BANK_GROUP],
        decoded[AddressMapping.BANK], decoded[AddressMapping.ROW], decoded[AddressMapping.COLUMN], type, tag, client,
        cycle, waiter);
  }

  /**
   * As {@link #submit(long, RequestType, long, MemoryClient, long, int)}, for a request the caller has
   * already decoded with {@link #mapping()} (a client that sorts requests by pseudo-channel decodes
   * each address once).
   */
  public boolean submit(int pseudoChannel, int rank, int bankGroup, int bank, int row, int column, RequestType type,
      long tag, MemoryClient client, long cycle, int waiter) {
    PseudoChannelController c = controllers[pseudoChannel];
    boolean ok = c.tryEnqueue(type, rank, bankGroup, bank, row, column, tag, client, cycle);
    if (!ok && waiter >= 0) {
      c.wakeWhenSpace(waiter);
    }
    return ok;
  }

  public DramStandard standard() {
    return standard;
  }

  public MemoryConfig config() {
    return config;
  }

  public ClockDomain clock() {
    return clock;
  }

  public AddressMapping mapping() {
    return mapping;
  }

  public int pseudoChannels() {
    return controllers.length;
  }

  public PseudoChannelController controller(int pc) {
    return controllers[pc];
  }

  /**
   * The lane of pseudo-channel {@code pc}: lane k holds pseudo-channels [ceil(k n / lanes), ceil((k + 1) n /
   * lanes)).
   */
  public int laneOf(int pc) {
    return laneOf(pc, lanes, controllers.length);
  }

  /** The lane of pseudo-channel {@code pc} of {@code pseudoChannels} split into {@code lanes} lanes. */
  public static int laneOf(int pc, int lanes, int pseudoChannels) {
    return (int) ((long) pc * lanes / pseudoChannels);
  }

  public int lanes() {
    return lanes;
  }

  /** The read latencies of every pseudo-channel (with lanes, their lanes' histograms added up). */
  public Histogram readLatency() {
    if (lanes == 1) {
      return laneLatency[0];
    }
    Histogram all = new Histogram();
    for (Histogram h : laneLatency) {
      all.add(h);
    }
    return all;
  }

  public double peakGBps() {
    return standard.stackPeakGBps() * config.stacks();
  }

  /** Sum over controllers. */
  public long total(java.util.function.ToLongFunction<PseudoChannelController> f) {
    long t = 0;
    for (PseudoChannelController c : controllers) {
      t += f.applyAsLong(c);
    }
    return t;
  }

  public long lastCompletion() {
    long t = 0;
    for (PseudoChannelController c : controllers) {
      t = Math.max(t, c.lastCompletion());
    }
    return t;
  }

  public Map<String, Long> commandCounts() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int cmd = 0; cmd < standard.commands().size(); cmd++) {
      final int id = cmd;
      long n = total(c -> c.commandCount(id));
      if (n > 0) {
        m.put(standard.command(cmd).name(), n);
      }
    }
    return m;
  }

  public Map<String, Long> bytesByPath() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (DataPath p : DataPath.values()) {
      m.put(p.key(), total(c -> c.bytes(p)));
    }
    return m;
  }

  /** Posts the memory system's energy over {@code cycles} to the ledger. */
  public void postEnergy(EnergyLedger ledger, long cycles) {
    long[] bytes = new long[DataPath.values().length];
    for (DataPath p : DataPath.values()) {
      bytes[p.ordinal()] = total(c -> c.bytes(p));
    }
    long tsvBytes = 0;
    for (int pc = 0; pc < controllers.length; pc++) {
      tsvBytes += tsvXpu[pc].bytesMoved() + tsvPim[pc].bytesMoved();
    }
    energy.post(ledger, standard.org(), total(PseudoChannelController::activatedBanks),
        total(PseudoChannelController::refreshedBanks), bytes, tsvBytes, clock.nsOf(cycles), config.stacks());
  }

  public DramEnergy energy() {
    return energy;
  }
}
