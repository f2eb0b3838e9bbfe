package io.duplexsim.memory.controller;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import io.duplexsim.memory.CommandObserver;
import io.duplexsim.memory.DepartureListener;
import io.duplexsim.memory.MemoryClient;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.CommandSpec;
import io.duplexsim.memory.standard.DataPath;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Scope;
import io.duplexsim.sim.InputException;
import io.duplexsim.sim.Component;
import io.duplexsim.sim.Scheduler;
import io.duplexsim.sim.stats.Histogram;

/**
 * The memory controller of one pseudo-channel: read and write queues per requester (the xPU's
 * controller and the near-memory units' on the logic die, each draining its own writes between
 * watermarks), one FR-FCFS scheduler over the queues their modes select (oldest ready row hit first,
 * then the oldest ready row command), a page policy, and refresh. Each cycle it asks, per queued
 * request, which command the request needs next (from the bank state and the command's open/close
 * metadata) and whether that command is legal now; the row and column command buses each carry one
 * command per cycle (HBM's C/A runs at double data rate, so the two pseudo-channels of a channel each
 * get one slot per clock).
 *
 * <p>Requests leave the queue when their access command issues; their completion cycle is then
 * fixed by the timing (CL + burst + TSV) and reported to the client.
 */
public final class PseudoChannelController implements Component {
  private static final byte ISSUED_ACT = 1;
  private static final byte ISSUED_PRE = 2;

  private final int pseudoChannel;
  private final DramStandard standard;
  private final Organization org;
  private final TimingEngine engine;
  private final TsvChannel tsvXpu;
  private final TsvChannel tsvPim;
  private final PagePolicy pagePolicy;
  private final int adaptiveIdle;
  /**
   * FR-FCFS's row-hit cap (0: none). A bank whose open row has served this many column commands
   * ({@link #servedSinceOpen}) while a scheduled queue holds a single-bank request for another row of it
   * takes no more column commands until its row closes: without it a steady run
   * of row hits keeps pushing the bank's PRE (tRTP, tWR after each access) and starves that request.
   */
  private final int rowHitCap;
  /** Per bank: column commands since its row last opened or closed (counted with or without a cap: no branch). */
  private final int[] servedSinceOpen;
  private final CommandObserver observer;
  private final Histogram readLatency;
  private final Scheduler scheduler;
  private final io.duplexsim.sim.ClockDomain clock;
  private int componentId = -1;
  /** Told of every request leaving a queue (null: nobody listens). */
  private DepartureListener departures;

  // Timings used on every issue.
  private final int nCL;
  private final int nCWL;
  private final int nBL;

  // Access command of each request type, and its open / close / auto-precharge companions.
  private final int[] accessCommand = new int[RequestType.values().length];
  /** Per command: does it reach exactly one bank (the hot path)? */
  private final boolean[] singleBank;
  /** Per command: the TSV channel its data crosses (null: none) and the cycles until its data moves. */
  private final TsvChannel[] tsvOf;
  private final int[] dataDelayOf;

  // Request slots (structure of arrays), recycled through a free list.
  private final long[] slotTag;
  private final MemoryClient[] slotClient;
  private final int[] slotCommand;
  private final int[] slotBank;
  private final int[] slotRow;
  private final int[] slotColumn;
  private final long[] slotArrival;
  private final byte[] slotFlags;
  /**
   * A cached lower bound of the cycle the slot's next command can issue. Earliest cycles only grow,
   * so it stays valid until one of the slot's banks opens or closes a row, which recomputes it.
   */
  private final long[] slotNotBefore;
  /**
   * Does the slot's row stand open in its bank (multi-bank slots: in every target bank)? Kept current
   * on every row change through per-bank lists of single-bank slots and the list of multi-bank ones,
   * so that the per-queue counts below are exact.
   */
  private final boolean[] slotHit;
  private final int[] slotNextInBank;
  private final int[] slotPrevInBank;
  private final int[] bankFirstSlot;
  /**
   * Multi-bank slots (bundle, all-bank commands): the first of their target banks with a row open
   * (-1: none), and the target banks as a mask. Their row-hit state (every target bank has the slot's
   * row open) and this bank are recomputed whenever a command opens or closes a row in any of the
   * target banks, so a scan need not walk the target banks. They sit in one list of their own
   * ({@link #multiFirstSlot}, linked through the bank-list links).
   */
  private final int[] slotOpenBank;
  private final long[] slotBankMask;
  private int multiFirstSlot = -1;
  /** [scope][flatBank] -> mask of the target banks (every bit when a pseudo-channel has over 64 banks). */
  private final long[][] scopeBankMask;
  /**
   * Per queue ({@link #queueOf}): entries that may need a column command now (row hits) and entries
   * that may need a row command (misses). A scan stops once each
   * bus either has its command or has no entry left that could use it.
   */
  private final int[] queueHits = new int[QUEUES];
  private final int[] queueMisses = new int[QUEUES];
  /** Per queue and access command: the queue's row hits needing it ([queue * commands + command]). */
  private final int[] hitsByCommand;
  /** The distinct access commands of the request types. */
  private final int[] accessCommands;
  /**
   * Per queue: a lower bound of the cycle any of its row hits (column bus) or row misses (row bus)
   * can issue its next command, from the last scan that visited the whole queue. While a bus's floor
   * lies ahead, no entry of that queue can take the bus and the scan need not visit them to learn it.
   * Entries' bounds only grow (timing and TSV reservations only grow), so the floor stays valid when
   * entries leave; it drops with each arrival's bound and with the new bounds of a bank's queued
   * entries when the bank opens or closes a row (multi-bank entries: any of their banks).
   */
  private final long[] hitFloor = new long[QUEUES];
  /** The least bound of the row hits and of the misses the current scan skipped ({@link #skipWaiting}). */
  private long skippedHitMin;
  private long skippedMissMin;
  private final long[] missFloor = new long[QUEUES];
  private final int[] freeSlots;
  private int freeCount;

  /**
   * Requesters with their own queues and write drain: 0 the xPU's controller (RD, WR), 1 the near-memory
   * units' (Duplex puts a simple DRAM controller on the logic die). Each has a read and a write queue,
   * {@code 2 * source + (write ? 1 : 0)}, in arrival order; the channel's one command scheduler takes
   * the oldest ready entry per bus among the queues the requesters' write modes select.
   */
  private static final int SOURCES = 2;
  private static final int QUEUES = 2 * SOURCES;
  private final int[][] queues = new int[QUEUES][];
  private final int[] queueCount = new int[QUEUES];
  /** Each slot's queue, and its place in the arrival order of all queues (FR-FCFS across requesters). */
  private final byte[] slotQueue;
  private final long[] slotSeq;
  private long nextSeq;
  private final int writeHigh;
  private final int writeLow;
  /** Per requester: draining its writes (between the watermarks) rather than serving its reads. */
  private final boolean[] writeMode = new boolean[SOURCES];

  private final RefreshMode refreshMode;
  private final RefreshScheduler refresh;

  // Page policy state.
  private final long[] lastAccess;
  private final boolean[] closeWanted;

  /** Components waiting for a queue slot (xPU and a near-memory unit may both wait on one channel). */
  private final IntArrayList spaceWaiters = new IntArrayList(2);
  private final boolean wholeChannelAllowed;
  /** Per request type: refused on every enqueue ({@link #refuse}), decided once rather than per request. */
  private final boolean[] refusedType;
  /** PRE, which page policies use to close idle rows one bank at a time. */
  private final int preCommand;

  // Statistics (derived from events, never from tick counts).
  private final long[] commandCount;
  private long activatedBanks;
  private long refreshedBanks;
  private long rowHits;
  private long rowMisses;
  private long rowConflicts;
  private long reads;
  /** Cycles from arrival to data, summed over this controller's reads. */
  private long readLatencySum;
  private long writes;
  private long completed;
  private long lastCompletion;
  private final long[] bytesByPath = new long[DataPath.values().length];

  public PseudoChannelController(int pseudoChannel, DramStandard standard, TimingLayout timing, int readQueueSize,
      int writeQueueSize, double writeHighWatermark, double writeLowWatermark, PagePolicy pagePolicy, int adaptiveIdle,
      int rowHitCap, RefreshMode refreshMode, TsvChannel tsvXpu, TsvChannel tsvPim, CommandObserver observer,
      Histogram readLatency, Scheduler scheduler, io.duplexsim.sim.ClockDomain clock) {
    this.pseudoChannel = pseudoChannel;
    this.standard = standard;
    this.org = standard.org();
    this.engine = new TimingEngine(standard, timing);
    this.tsvXpu = tsvXpu;
    this.tsvPim = tsvPim;
    this.pagePolicy = pagePolicy;
    this.adaptiveIdle = adaptiveIdle;
    this.rowHitCap = rowHitCap;
    this.observer = observer;
    this.readLatency = readLatency;
    this.scheduler = scheduler;
    this.clock = clock;
    this.nCL = standard.timing("nCL");
    this.nCWL = standard.timing("nCWL");
    this.nBL = standard.timing("nBL");
    for (RequestType t : RequestType.values()) {
      int id = standard.commandId(t.accessCommand());
      if (id < 0) {
        throw new IllegalArgumentException(standard.name() + " has no command " + t.accessCommand());
      }
      accessCommand[t.ordinal()] = id;
    }
    accessCommands = java.util.Arrays.stream(accessCommand).distinct().toArray();
    hitsByCommand = new int[QUEUES * standard.commands().size()];
    singleBank = new boolean[standard.commands().size()];
    tsvOf = new TsvChannel[singleBank.length];
    dataDelayOf = new int[singleBank.length];
    for (int c = 0; c < singleBank.length; c++) {
      CommandSpec spec = standard.command(c);
      singleBank[c] = spec.scope() == Scope.BANK;
      tsvOf[c] = tsvFor(spec.path());
      dataDelayOf[c] = spec.access() == CommandSpec.Access.READ ? nCL : nCWL;
    }
    int slots = SOURCES * (readQueueSize + writeQueueSize);
    slotTag = new long[slots];
    slotClient = new MemoryClient[slots];
    slotCommand = new int[slots];
    slotBank = new int[slots];
    slotRow = new int[slots];
    slotColumn = new int[slots];
    slotArrival = new long[slots];
    slotFlags = new byte[slots];
    slotNotBefore = new long[slots];
    slotHit = new boolean[slots];
    slotNextInBank = new int[slots];
    slotPrevInBank = new int[slots];
    bankFirstSlot = new int[org.banksPerPseudoChannel()];
    java.util.Arrays.fill(bankFirstSlot, -1);
    slotOpenBank = new int[slots];
    slotBankMask = new long[slots];
    scopeBankMask = new long[Scope.values().length][org.banksPerPseudoChannel()];
    for (Scope scope : Scope.values()) {
      for (int fb = 0; fb < org.banksPerPseudoChannel(); fb++) {
        long mask = 0;
        for (int b : engine.targetBanks(scope, fb)) {
          mask |= b < 64 ? 1L << b : -1L;
        }
        scopeBankMask[scope.ordinal()][fb] = mask;
      }
    }
    freeSlots = new int[slots];
    for (int i = 0; i < slots; i++) {
      freeSlots[i] = slots - 1 - i;
    }
    freeCount = slots;
    for (int q = 0; q < QUEUES; q++) {
      queues[q] = new int[isWriteQueue(q) ? writeQueueSize : readQueueSize];
    }
    slotQueue = new byte[slots];
    slotSeq = new long[slots];
    writeHigh = (int) Math.ceil(writeHighWatermark * writeQueueSize);
    writeLow = (int) Math.floor(writeLowWatermark * writeQueueSize);
    this.refreshMode = refreshMode;
    this.refresh = new RefreshScheduler(refreshMode, standard, engine);
    int banks = org.banksPerPseudoChannel();
    lastAccess = new long[banks];
    closeWanted = new boolean[banks];
    commandCount = new long[standard.commands().size()];
    servedSinceOpen = new int[banks];
    wholeChannelAllowed = refreshMode == RefreshMode.ALL_BANK || refreshMode == RefreshMode.NONE;
    refusedType = new boolean[RequestType.values().length];
    for (RequestType t : RequestType.values()) {
      int acc = accessCommand[t.ordinal()];
      refusedType[t.ordinal()] = !engine.keepsTimingOf(acc)
          || (!wholeChannelAllowed && engine.spec(acc).scope() == Scope.PSEUDO_CHANNEL);
    }
    preCommand = standard.commandId("PRE");
  }

  /** From now on, tells {@code listener} of every request leaving a queue. */
  public void listenDepartures(DepartureListener listener) {
    this.departures = listener;
  }

  /**
   * The commands a controller may issue, or ask the timing of, when its requests are of {@code types}:
   * their access commands with the open, close and auto-precharge commands these name (and theirs),
   * refresh's command, and PRE, with which page policies close rows ({@link TimingLayout#of(DramStandard,
   * boolean[])}).
   */
  public static boolean[] commandsFor(DramStandard standard, java.util.Set<RequestType> types, RefreshMode refresh) {
    boolean[] may = new boolean[standard.commands().size()];
    java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
    for (RequestType t : types) {
      todo.add(standard.commandId(t.accessCommand()));
    }
    if (refresh != RefreshMode.NONE) {
      todo.add(standard.commandId(refresh.command()));
    }
    todo.add(standard.commandId("PRE"));
    while (!todo.isEmpty()) {
      int c = todo.poll();
      if (c < 0 || may[c]) {
        continue;
      }
      may[c] = true;
      CommandSpec spec = standard.command(c);
      todo.add(spec.open());
      todo.add(spec.close());
      todo.add(spec.autoPrecharge());
    }
    return may;
  }

  /** The scheduler id of this controller, for wake-ups on arrival. */
  public void attach(int componentId) {
    this.componentId = componentId;
  }

  /**
   * Queues a request if there is room.
   *
   * @return false if the request's queue is full (call {@link #wakeWhenSpace} and retry later)
   */
  public boolean tryEnqueue(RequestType type, int rank, int bankGroup, int bank, int row, int column, long tag,
      MemoryClient client, long cycle) {
    if (refusedType[type.ordinal()]) {
      refuse(type);
    }
    int q = queueOf(type);
    if (queueCount[q] == queues[q].length) {
      return false;
    }
    int s = freeSlots[--freeCount];
    slotQueue[s] = (byte) q;
    slotSeq[s] = nextSeq++;
    slotTag[s] = tag;
    slotClient[s] = client;
    slotCommand[s] = accessCommand[type.ordinal()];
    slotBank[s] = org.flatBank(rank, bankGroup, bank);
    slotRow[s] = row;
    slotColumn[s] = column;
    slotArrival[s] = cycle;
    slotFlags[s] = 0;
    slotNotBefore[s] = 0;
    track(s);
    queues[q][queueCount[q]++] = s;
    scheduler.wake(componentId, arrivalWake(s, cycle));
    return true;
  }

  /**
   * The cycle an arrival must wake the controller on. The controller's own pending wake-up already
   * covers what was queued before (a queued entry's readiness does not depend on later arrivals
   * under the open page policy), so a tick before the new entry's own earliest cycle would only
   * re-learn bounds, unless it would switch a requester's write mode (which depends on the queues'
   * counts) or refresh is owed; then, and under the other page policies, the arrival cycle itself.
   */
  private long arrivalWake(int s, long cycle) {
    if (pagePolicy != PagePolicy.OPEN || refresh.pending() > 0 || anyWriteModeWouldSwitch()) {
      return cycle;
    }
    // track() has just set the entry's bound: the earliest cycle of its next command.
    return Math.max(cycle, Math.min(slotNotBefore[s], refresh.nextDue()));
  }

  /** Why a request of {@code type} cannot be queued here ({@link #refusedType}). */
  private void refuse(RequestType type) {
    if (!engine.keepsTimingOf(accessCommand[type.ordinal()])) {
      throw new IllegalStateException(type + " request on a memory system built for other request types");
    }
    // With per-bank refresh some bank is always inside its tRFCpb (tRFCpb > tREFI / banks), so a
    // command that must activate every bank at once would never find a window.
    throw new InputException(type + " requests (all-bank commands) need refresh all-bank or none, not "
        + refreshMode.key());
  }

  /** The queue of a request type: its requester's read or write queue. */
  public static int queueIndex(RequestType type) {
    return queueOf(type);
  }

  /** How many requests queue {@code queue} ({@link #queueIndex}) holds when full. */
  public int queueCapacity(int queue) {
    return queues[queue].length;
  }

  private static int queueOf(RequestType type) {
    int source = type == RequestType.READ || type == RequestType.WRITE ? 0 : 1;
    return 2 * source + (type.isWrite() ? 1 : 0);
  }

  private static boolean isWriteQueue(int q) {
    return (q & 1) == 1;
  }

  /** The queue requester {@code source}'s write mode selects. */
  private int activeQueue(int source) {
    return 2 * source + (writeMode[source] ? 1 : 0);
  }

  /**
   * Would {@link #updateWriteMode} change requester {@code source}'s mode with the current counts? It
   * drains writes from the high watermark down to the low one, and whenever it has writes but no reads
   * queued. Per requester: the xPU's writes drain without holding the logic die's reads, as two
   * controllers each batching its own writes would (and the xPU's last writes do not wait behind a
   * near-memory unit's endless reads).
   */
  private boolean writeModeWouldSwitch(int source) {
    int reads = queueCount[2 * source];
    int writes = queueCount[2 * source + 1];
    return writeMode[source] ? writes == 0 || (writes <= writeLow && reads > 0)
        : writes >= writeHigh || (writes > 0 && reads == 0);
  }

  private boolean anyWriteModeWouldSwitch() {
    return writeModeWouldSwitch(0) || writeModeWouldSwitch(1);
  }

  /**
   * Is the queue of {@code type} full with {@code waiter} already waiting for a slot? Then
   * {@link #tryEnqueue} would fail and change nothing, so a client retrying every tick can skip it.
   */
  public boolean fullAndWaited(RequestType type, int waiter) {
    int q = queueOf(type);
    return queueCount[q] == queues[q].length && spaceWaiters.contains(waiter);
  }

  /** Wakes component {@code id} on the cycle after a queue slot frees. */
  public void wakeWhenSpace(int id) {
    if (!spaceWaiters.contains(id)) {
      spaceWaiters.add(id);
    }
  }

  @Override
  public long tick(long now) {
    refresh.advanceTo(now);
    int refreshPending = refresh.pending();
    updateWriteMode();
    long wake = refresh.nextDue();

    if (refreshPending > 0) {
      // Refresh comes first: close its banks, then refresh them.
      int target = refresh.targetBank();
      int cmd = refresh.command();
      int addr = target;
      int open = firstOpen(cmd, target);
      if (open >= 0) {
        cmd = engine.spec(cmd).close();
        addr = open;
      }
      long e = engine.earliest(cmd, addr);
      if (e <= now) {
        issue(cmd, addr, -1, -1, now);
        if (cmd == refresh.command()) {
          refreshedBanks += engine.targetBanks(cmd, addr).length;
          refresh.onIssued();
        }
        return now + 1;
      }
      wake = Math.min(wake, e);
      if (refresh.blocksWholeChannel()) {
        // All-bank refresh holds the whole pseudo-channel from the cycle it is due (as Ramulator's
        // controller does), so continuous row hits cannot postpone its PREA.
        return wake;
      }
    }

    // Each requester's queue of its mode; with one of them idle a single scan. (With both idle, both
    // empty scans, which reset their queues' floors: a floor left low only costs scans.)
    int qa = activeQueue(0);
    int qb = activeQueue(1);
    if (queueCount[qa] == 0 && queueCount[qb] > 0) {
      qa = qb;
      qb = -1;
    } else if (queueCount[qb] == 0 && queueCount[qa] > 0) {
      qb = -1;
    }
    // FR-FCFS over each queue; across the requesters, per bus the older of the two choices (the other
    // stays queued, so its queue's floor must not exclude it).
    int takenColumnQueue = -1;
    int takenColumn = -1;
    int takenRowQueue = -1;
    int takenRow = -1;
    int takenRowCommand = -1;
    int takenRowBank = -1;
    boolean wholeA = true;
    boolean wholeB = true;
    for (int pass = 0, passes = qb >= 0 ? 2 : 1; pass < passes; pass++) {
      int q = pass == 0 ? qa : qb;
      int[] queue = queues[q];
      int count = queueCount[q];
      int hits = queueHits[q];
      int misses = queueMisses[q];
      int bestColumn = -1;
      int bestRow = -1;
      int bestRowCommand = -1;
      int bestRowBank = -1;
      // If the pseudo-channel-wide timing or the TSV rules out every access command the queue's hits
      // need this cycle (one command, RD or WR, for the xPU's requests; ALL-RD for a bundle stream),
      // no row hit can issue, and the hits need not be evaluated one by one. The bound joins the
      // wake-up (a tick before an entry's own earliest cycle issues nothing, which fast-forward allows).
      boolean columnBlocked = false;
      long columnFloor = 0;
      if (hits > 0) {
        long floor = columnChannelBound(q);
        if (floor > now) {
          columnBlocked = true;
          columnFloor = floor;
          wake = Math.min(wake, floor);
        }
      }
      // The queue's floors (valid only without pending refresh, like the entries' own bounds): a bus
      // whose every candidate waits for a later cycle is done before the scan starts.
      boolean rowBlocked = false;
      long rowFloor = 0;
      if (refreshPending == 0) {
        if (hits > 0 && hitFloor[q] > now) {
          columnBlocked = true;
          columnFloor = Math.max(columnFloor, hitFloor[q]);
          wake = Math.min(wake, hitFloor[q]);
        }
        if (misses > 0 && missFloor[q] > now) {
          rowBlocked = true;
          rowFloor = missFloor[q];
          wake = Math.min(wake, rowFloor);
        }
      }
      // Bounds of the entries this scan leaves waiting, per bus, for the floors.
      long hitMin = Long.MAX_VALUE;
      long missMin = Long.MAX_VALUE;
      boolean whole = true;
      // Nothing issues during the scan, so entries needing the same command at the same bank (a strided
      // trace queues many hits to one bank) share the earliest cycle found for the first of them.
      int memoHitCommand = -1;
      int memoHitBank = -1;
      long memoHit = 0;
      int memoRowCommand = -1;
      int memoRowBank = -1;
      long memoRow = 0;
      skippedHitMin = Long.MAX_VALUE;
      skippedMissMin = Long.MAX_VALUE;
      for (int i = 0; i < count; i++) {
        if ((bestColumn >= 0 || hits == 0 || columnBlocked) && (bestRow >= 0 || misses == 0 || rowBlocked)) {
          // FR-FCFS takes the oldest ready entry per bus; no later entry could change either choice.
          whole = false;
          break;
        }
        if (refreshPending == 0) {
          // Requests known not to be ready before a later cycle cannot issue now: skip them without
          // re-evaluating (with refresh pending, re-evaluate: refresh changes what they may issue).
          i = skipWaiting(queue, i, count, now);
          if (i == count) {
            break;
          }
        }
        int s = queue[i];
        int acc = slotCommand[s];
        int fb = slotBank[s];
        if (slotHit[s] ? bestColumn >= 0 || columnBlocked : bestRow >= 0 || rowBlocked) {
          // The bus this entry needs already has an older ready command, or none can issue. (With a
          // found command the bus's floor is not recomputed, so its bound is not needed.)
          if (slotHit[s]) {
            hitMin = Math.min(hitMin, columnFloor);
          } else {
            missMin = Math.min(missMin, rowFloor);
          }
          continue;
        }
        // Pending refresh: no new rows open in its banks; once overdue (a second one due), nothing
        // touching them issues, so refresh can never be postponed by more than one interval.
        boolean refreshing = refresh.touches(acc, fb);
        if (refreshing && refreshPending > 1) {
          continue;
        }
        int row = slotRow[s];
        int allAtRow = 1;
        int openBank = -1;
        if (singleBank[acc]) {
          int r = engine.openRow(fb);
          allAtRow = r == row ? 1 : 0;
          openBank = r >= 0 ? fb : -1;
          assert slotHit[s] == (allAtRow == 1) : "stale row-hit state of slot " + s;
        } else {
          allAtRow = slotHit[s] ? 1 : 0;
          openBank = slotOpenBank[s];
          assert multiRowStateCurrent(s) : "stale row state of multi-bank slot " + s;
        }
        if (allAtRow == 1) {
          if (bestColumn >= 0) {
            continue;
          }
          if (rowHitCap > 0 && singleBank[acc] && capReached(fb, qa, qb)) {
            // Capped: no column command until the row closes, which its close's earliest cycle bounds.
            long e = Math.max(now + 1, engine.earliest(engine.spec(acc).close(), fb));
            wake = Math.min(wake, e);
            slotNotBefore[s] = e;
            hitMin = Math.min(hitMin, e);
            continue;
          }
          long e;
          if (acc == memoHitCommand && fb == memoHitBank) {
            e = memoHit;
          } else {
            e = Math.max(engine.earliest(acc, fb), tsvEarliest(acc));
            memoHitCommand = acc;
            memoHitBank = fb;
            memoHit = e;
          }
          if (e <= now) {
            bestColumn = i;
          } else {
            wake = Math.min(wake, e);
            slotNotBefore[s] = e;
            hitMin = Math.min(hitMin, e);
          }
        } else {
          if (bestRow >= 0) {
            continue;
          }
          CommandSpec spec = engine.spec(acc);
          if (refreshing && openBank < 0) {
            continue;
          }
          int cmd = openBank >= 0 ? spec.close() : spec.open();
          int addr = openBank >= 0 && engine.spec(cmd).scope() == Scope.BANK ? openBank : fb;
          long e;
          if (cmd == memoRowCommand && addr == memoRowBank) {
            e = memoRow;
          } else {
            e = engine.earliest(cmd, addr);
            memoRowCommand = cmd;
            memoRowBank = addr;
            memoRow = e;
          }
          if (e <= now) {
            bestRow = i;
            bestRowCommand = cmd;
            bestRowBank = addr;
          } else {
            wake = Math.min(wake, e);
            slotNotBefore[s] = e;
            missMin = Math.min(missMin, e);
          }
        }
      }
      // The skipped entries' bounds join the wake-up and their bus's least bound.
      wake = Math.min(wake, Math.min(skippedHitMin, skippedMissMin));
      hitMin = Math.min(hitMin, skippedHitMin);
      missMin = Math.min(missMin, skippedMissMin);
      if (whole && refreshPending == 0) {
        // Every entry was visited: each bus without a found command knows the least bound of its entries.
        // The entry taking the column bus leaves the queue; the one taking the row bus joins its new
        // bus's floor when its bank's row changes (rowChanged).
        hitFloor[q] = hitMin;
        missFloor[q] = missMin;
      }
      if (pass == 0) {
        wholeA = whole;
      } else {
        wholeB = whole;
      }
      // (On the first pass nothing is taken yet, so its choices are.)
      if (bestColumn >= 0) {
        if (takenColumn < 0 || slotSeq[queue[bestColumn]] < slotSeq[queues[qa][takenColumn]]) {
          if (takenColumn >= 0) {
            hitFloor[qa] = Math.min(hitFloor[qa], now);
          }
          takenColumnQueue = q;
          takenColumn = bestColumn;
        } else {
          hitFloor[q] = Math.min(hitFloor[q], now);
        }
      }
      if (bestRow >= 0) {
        if (takenRow < 0 || slotSeq[queue[bestRow]] < slotSeq[queues[qa][takenRow]]) {
          if (takenRow >= 0) {
            missFloor[qa] = Math.min(missFloor[qa], now);
          }
          takenRowQueue = q;
          takenRow = bestRow;
          takenRowCommand = bestRowCommand;
          takenRowBank = bestRowBank;
        } else {
          missFloor[q] = Math.min(missFloor[q], now);
        }
      }
    }

    boolean issued = false;
    if (takenColumn >= 0) {
      issueAccess(takenColumnQueue, takenColumn, now);
      issued = true;
      if (takenRowQueue == takenColumnQueue && takenRow > takenColumn) {
        takenRow--;
      }
    }
    if (takenRow >= 0) {
      // The column command may have changed what is legal; re-check before using the row bus.
      if (engine.earliest(takenRowCommand, takenRowBank) <= now) {
        int s = queues[takenRowQueue][takenRow];
        slotFlags[s] |= engine.spec(takenRowCommand).opens() ? ISSUED_ACT : ISSUED_PRE;
        issue(takenRowCommand, takenRowBank, engine.spec(takenRowCommand).opens() ? slotRow[s] : -1, -1, now);
      } else {
        missFloor[takenRowQueue] = 0; // it stays a waiting miss, whose bound the floor did not take
      }
      issued = true;
    } else if (pagePolicy != PagePolicy.OPEN) {
      long policyWake = closeIdleRows(now);
      if (policyWake == now) {
        issued = true;
      } else {
        wake = Math.min(wake, policyWake);
      }
    }
    if (!issued) {
      return wake;
    }
    return refreshPending == 0 && pagePolicy == PagePolicy.OPEN
        ? nextAfterIssue(now, qa, wholeA, qb, wholeB) : now + 1;
  }

  /**
   * The scan's run over entries whose bound lies after {@code now}, from queue position {@code i}:
   * returns the position of the first entry that may issue now ({@code count} if none), and leaves
   * the least bound of the skipped row hits and misses in {@link #skippedHitMin} and
   * {@link #skippedMissMin}. Most of a busy queue is skipped this way on every tick; a small loop of
   * its own keeps its state in registers, where the scan's large body spilled it.
   */
  private int skipWaiting(int[] queue, int i, int count, long now) {
    long[] notBefore = slotNotBefore;
    boolean[] hit = slotHit;
    long hitMin = skippedHitMin;
    long missMin = skippedMissMin;
    for (; i < count; i++) {
      int s = queue[i];
      long bound = notBefore[s];
      if (bound <= now) {
        break;
      }
      if (hit[s]) {
        hitMin = Math.min(hitMin, bound);
      } else {
        missMin = Math.min(missMin, bound);
      }
    }
    skippedHitMin = hitMin;
    skippedMissMin = missMin;
    return i;
  }

  /**
   * A lower bound of the queue's row misses' bounds, after an issue at {@code now}. A single-bank miss
   * whose bound would let it issue on the next cycle gets its exact earliest cycle first (the scan would
   * evaluate it then anyway): a streaming or random queue's waiting ACTs were bounded before the last
   * ACT's tRRD / tFAW moved them, and would wake the controller for nothing. The first miss still due on
   * the next cycle ends the walk: the controller wakes then whatever the others' bounds are.
   */
  private long missBoundFloor(int[] queue, int count, long now) {
    long floor = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      int s = queue[i];
      if (!slotHit[s]) {
        long bound = slotNotBefore[s];
        int acc = slotCommand[s];
        if (bound <= now + 1 && singleBank[acc]) {
          bound = missBound(acc, slotBank[s]);
          slotNotBefore[s] = bound;
        }
        if (bound <= now + 1) {
          return bound;
        }
        floor = Math.min(floor, bound);
      }
    }
    return floor;
  }

  /**
   * The earliest cycle of the row command a single-bank miss needing {@code acc} at bank {@code fb} needs
   * next: the close if the bank has another row open, else the open.
   */
  private long missBound(int acc, int fb) {
    CommandSpec spec = engine.spec(acc);
    return engine.earliest(engine.openRow(fb) >= 0 ? spec.close() : spec.open(), fb);
  }

  /**
   * After an issue without pending refresh under the open page policy: a cycle no later than the
   * next on which anything can issue, so that the ticks in between (which would issue nothing) are
   * skipped. Arrivals wake the controller themselves; what is queued is bounded by refresh's due
   * cycle, the column bus's pseudo-channel-wide timing and TSV for an xPU-only queue, and the queue's
   * floors. Whenever a bound is unknown this is {@code now + 1}, as before. The tick scanned queues
   * {@code qa} and {@code qb} (-1: none); {@code wholeA}, {@code wholeB}: its scan of that queue visited
   * every entry, so the queue's floors are fresh.
   */
  private long nextAfterIssue(long now, int qa, boolean wholeA, int qb, boolean wholeB) {
    if (anyWriteModeWouldSwitch()) {
      return now + 1;
    }
    long next = queueNext(qa, wholeA, now, refresh.nextDue());
    return Math.max(now + 1, qb < 0 ? next : queueNext(qb, wholeB, now, next));
  }

  /** {@link #nextAfterIssue}'s bound {@code next} lowered to what queue {@code q} holds. */
  private long queueNext(int q, boolean wholeScan, long now, long next) {
    if (queueHits[q] > 0) {
      next = Math.min(next, Math.max(hitFloor[q], columnChannelBound(q)));
    }
    if (queueMisses[q] > 0) {
      if (!wholeScan && missFloor[q] <= now + 1 && next > now + 1) {
        // The scan stopped at the column bus's command, so the row bus's floor may still be the bound of
        // an entry that has since issued its row command (a streaming queue's ACTs), and would wake the
        // next cycle to scan in vain. The misses' own bounds, made exact where they are due, give a floor
        // no lower than that.
        missFloor[q] = missBoundFloor(queues[q], queueCount[q], now);
      }
      next = Math.min(next, missFloor[q]);
    }
    return next;
  }

  /**
   * A lower bound of the cycle any row hit of queue {@code q} can issue: the least, over the access
   * commands its hits need, of the command's pseudo-channel-wide earliest cycle (every scope's nodes
   * include the pseudo-channel's) and its TSV's. For a queue of the xPU's requests only, RD's or WR's.
   */
  private long columnChannelBound(int q) {
    if (q < 2) {
      // The xPU's requests: one access command, RD or WR.
      int acc = accessCommand[q == 1 ? RequestType.WRITE.ordinal() : RequestType.READ.ordinal()];
      return Math.max(engine.channelEarliest(acc), tsvEarliest(acc));
    }
    long bound = Long.MAX_VALUE;
    int base = q * singleBank.length;
    for (int acc : accessCommands) {
      if (hitsByCommand[base + acc] > 0) {
        bound = Math.min(bound, Math.max(engine.channelEarliest(acc), tsvEarliest(acc)));
      }
    }
    return bound;
  }

  /** One more (+1) or one fewer (-1) row hit of queue {@code q} needing {@code acc}. */
  private void countHit(int q, int acc, int d) {
    queueHits[q] += d;
    hitsByCommand[q * singleBank.length + acc] += d;
  }

  /** Puts an arriving slot into its bank's list and the queue's hit / miss counts. */
  private void track(int s) {
    int q = slotQueue[s];
    if (!singleBank[slotCommand[s]]) {
      slotBankMask[s] = scopeBankMask[engine.spec(slotCommand[s]).scope().ordinal()][slotBank[s]];
      slotPrevInBank[s] = -1;
      slotNextInBank[s] = multiFirstSlot;
      if (multiFirstSlot >= 0) {
        slotPrevInBank[multiFirstSlot] = s;
      }
      multiFirstSlot = s;
      boolean hit = multiRowState(s);
      slotHit[s] = hit;
      if (hit) {
        countHit(q, slotCommand[s], 1);
      } else {
        queueMisses[q]++;
      }
      multiBound(s, q);
      return;
    }
    int fb = slotBank[s];
    slotHit[s] = engine.openRow(fb) == slotRow[s];
    // Its bound is its next command's earliest cycle from the timing as it stands (which only grows
    // until the bank's row changes, when rowChanged recomputes it); its bus's floor takes it.
    int acc = slotCommand[s];
    long e;
    if (slotHit[s]) {
      countHit(q, acc, 1);
      e = Math.max(engine.earliest(acc, fb), tsvEarliest(acc));
      hitFloor[q] = Math.min(hitFloor[q], e);
    } else {
      queueMisses[q]++;
      e = missBound(acc, fb);
      missFloor[q] = Math.min(missFloor[q], e);
    }
    slotNotBefore[s] = e;
    slotPrevInBank[s] = -1;
    slotNextInBank[s] = bankFirstSlot[fb];
    if (bankFirstSlot[fb] >= 0) {
      slotPrevInBank[bankFirstSlot[fb]] = s;
    }
    bankFirstSlot[fb] = s;
  }

  /** Takes a leaving slot out of its bank's list and the queue's hit / miss counts. */
  private void forget(int s) {
    int q = slotQueue[s];
    if (slotHit[s]) {
      countHit(q, slotCommand[s], -1);
    } else {
      queueMisses[q]--;
    }
    int prev = slotPrevInBank[s];
    int next = slotNextInBank[s];
    if (prev >= 0) {
      slotNextInBank[prev] = next;
    } else if (singleBank[slotCommand[s]]) {
      bankFirstSlot[slotBank[s]] = next;
    } else {
      multiFirstSlot = next;
    }
    if (next >= 0) {
      slotPrevInBank[next] = prev;
    }
  }

  /** Bank {@code b} opened or closed a row: its queued slots may have turned into hits or misses. */
  private void rowChanged(int b) {
    int open = engine.openRow(b);
    for (int s = bankFirstSlot[b]; s >= 0; s = slotNextInBank[s]) {
      boolean hit = slotRow[s] == open;
      int q = slotQueue[s];
      if (hit != slotHit[s]) {
        slotHit[s] = hit;
        countHit(q, slotCommand[s], hit ? 1 : -1);
        queueMisses[q] += hit ? -1 : 1;
      }
      // It may need another command now: its bound is that command's earliest cycle from the timing
      // as it stands (which only grows until the row changes again), and its bus's floor takes it,
      // so the floors stay valid without a rescan of the whole queue.
      int acc = slotCommand[s];
      long e;
      if (hit) {
        e = Math.max(engine.earliest(acc, b), tsvEarliest(acc));
        hitFloor[q] = Math.min(hitFloor[q], e);
      } else {
        e = missBound(acc, b);
        missFloor[q] = Math.min(missFloor[q], e);
      }
      slotNotBefore[s] = e;
    }
  }

  /**
   * A command opened or closed rows in the banks of {@code mask}: the multi-bank slots reaching any
   * of them get their row state and bound anew, and their bus's floor takes the bound.
   */
  private void multiRowsChanged(long mask) {
    for (int s = multiFirstSlot; s >= 0; s = slotNextInBank[s]) {
      if ((slotBankMask[s] & mask) == 0) {
        continue;
      }
      boolean hit = multiRowState(s);
      int q = slotQueue[s];
      if (hit != slotHit[s]) {
        slotHit[s] = hit;
        countHit(q, slotCommand[s], hit ? 1 : -1);
        queueMisses[q] += hit ? -1 : 1;
      }
      multiBound(s, q);
    }
  }

  /**
   * Sets a multi-bank slot's first open target bank and returns whether every target bank has its
   * row open, walking the target banks (the scan's former per-tick work).
   */
  private boolean multiRowState(int s) {
    int row = slotRow[s];
    boolean allAtRow = true;
    int openBank = -1;
    for (int b : engine.targetBanks(slotCommand[s], slotBank[s])) {
      int r = engine.openRow(b);
      if (r != row) {
        allAtRow = false;
      }
      if (r >= 0 && openBank < 0) {
        openBank = b;
      }
    }
    slotOpenBank[s] = openBank;
    return allAtRow;
  }

  /** For the scan's assertion: are a multi-bank slot's cached row state and open bank current? */
  private boolean multiRowStateCurrent(int s) {
    boolean hit = slotHit[s];
    int open = slotOpenBank[s];
    boolean now = multiRowState(s);
    boolean same = now == hit && slotOpenBank[s] == open;
    slotOpenBank[s] = open;
    return same;
  }

  /**
   * A multi-bank slot's bound: the earliest cycle of the command it needs next, from its cached row
   * state (as the scan picks it), which only grows until a target bank's row changes; its bus's
   * floor takes it.
   */
  private void multiBound(int s, int q) {
    int acc = slotCommand[s];
    int fb = slotBank[s];
    long e;
    if (slotHit[s]) {
      e = Math.max(engine.earliest(acc, fb), tsvEarliest(acc));
      hitFloor[q] = Math.min(hitFloor[q], e);
    } else {
      CommandSpec spec = engine.spec(acc);
      int openBank = slotOpenBank[s];
      int cmd = openBank >= 0 ? spec.close() : spec.open();
      int addr = openBank >= 0 && engine.spec(cmd).scope() == Scope.BANK ? openBank : fb;
      e = engine.earliest(cmd, addr);
      missFloor[q] = Math.min(missFloor[q], e);
    }
    slotNotBefore[s] = e;
  }

  private void updateWriteMode() {
    for (int source = 0; source < SOURCES; source++) {
      if (writeModeWouldSwitch(source)) {
        writeMode[source] = !writeMode[source];
        if (rowHitCap > 0) {
          capConflictsChanged();
        }
      }
    }
  }

  /**
   * Does bank {@code fb}'s row take no more column commands (the row-hit cap)? It has served the cap
   * since it opened, and a scheduled queue ({@code qa}, {@code qb}; -1: none) holds a request for another
   * row of it.
   */
  private boolean capReached(int fb, int qa, int qb) {
    if (servedSinceOpen[fb] < rowHitCap) {
      return false;
    }
    for (int s = bankFirstSlot[fb]; s >= 0; s = slotNextInBank[s]) {
      if (!slotHit[s] && (slotQueue[s] == qa || slotQueue[s] == qb)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The scheduled queues changed, so a capped bank's conflict may have left them: capped row hits, whose
   * bounds wait for their row to close, must be looked at again. Lower bounds stay valid when lowered.
   */
  private void capConflictsChanged() {
    for (int q = 0; q < QUEUES; q++) {
      int[] queue = queues[q];
      for (int i = 0; i < queueCount[q]; i++) {
        int s = queue[i];
        if (slotHit[s]) {
          slotNotBefore[s] = 0;
        }
      }
      hitFloor[q] = 0;
    }
  }

  private long tsvEarliest(int acc) {
    TsvChannel tsv = tsvOf[acc];
    return tsv == null ? 0 : tsv.earliestIssue(dataDelayOf[acc]);
  }

  private TsvChannel tsvFor(DataPath path) {
    return switch (path) {
      case XPU -> tsvXpu;
      case LOGIC_PIM -> tsvPim;
      case BANK_PIM, BANKGROUP_PIM -> null;
    };
  }

  private void issueAccess(int q, int index, long now) {
    int[] queue = queues[q];
    int s = queue[index];
    int acc = slotCommand[s];
    int fb = slotBank[s];
    int row = slotRow[s];
    CommandSpec spec = engine.spec(acc);
    int cmd = acc;
    if (pagePolicy == PagePolicy.CLOSED && !otherRequestHits(s, fb, row)) {
      if (spec.autoPrecharge() >= 0 && engine.earliest(spec.autoPrecharge(), fb) <= now) {
        cmd = spec.autoPrecharge();
      } else {
        for (int b : engine.targetBanks(acc, fb)) {
          closeWanted[b] = true;
        }
      }
    }
    issue(cmd, fb, row, slotColumn[s], now);
    servedSinceOpen[fb]++;
    int[] banks = engine.targetBanks(acc, fb);
    for (int b : banks) {
      lastAccess[b] = now;
    }
    int bytes = org.accessBytes() * banks.length;
    boolean read = spec.access() == CommandSpec.Access.READ;
    TsvChannel tsv = tsvFor(spec.path());
    long dataStart = now + (read ? nCL : nCWL);
    long done = tsv != null ? tsv.transfer(dataStart, bytes) : dataStart + nBL;
    bytesByPath[spec.path().ordinal()] += bytes;
    byte f = slotFlags[s];
    if ((f & ISSUED_PRE) != 0) {
      rowConflicts++;
    } else if ((f & ISSUED_ACT) != 0) {
      rowMisses++;
    } else {
      rowHits++;
    }
    if (read) {
      reads++;
      readLatency.record(done - slotArrival[s]);
      readLatencySum += done - slotArrival[s];
    } else {
      writes++;
    }
    completed++;
    lastCompletion = Math.max(lastCompletion, done);
    MemoryClient client = slotClient[s];
    long tag = slotTag[s];
    slotClient[s] = null;
    forget(s);
    // Remove from the queue, keeping arrival order.
    System.arraycopy(queue, index + 1, queue, index, queueCount[q] - index - 1);
    queueCount[q]--;
    freeSlots[freeCount++] = s;
    if (departures != null) {
      departures.onDeparture(now, pseudoChannel, q);
    }
    for (int i = 0; i < spaceWaiters.size(); i++) {
      // The waiter may run on another clock (a PIM unit): wake it by time, not by our cycle.
      scheduler.wakeAtTick(spaceWaiters.getInt(i), clock.tickOf(now));
    }
    spaceWaiters.clear();
    client.onComplete(tag, done);
  }

  private void issue(int cmd, int fb, int row, int column, long now) {
    engine.issue(cmd, fb, row, now);
    commandCount[cmd]++;
    CommandSpec spec = engine.spec(cmd);
    if (spec.opens() || spec.closes()) {
      // Row state changed: hit / miss states and cached not-before cycles of these banks are stale.
      int[] banks = engine.targetBanks(cmd, fb);
      for (int b : banks) {
        servedSinceOpen[b] = 0;
        rowChanged(b);
        closeWanted[b] = false;
        if (spec.opens()) {
          lastAccess[b] = now;
        }
      }
      if (spec.opens()) {
        activatedBanks += banks.length;
      }
      if (multiFirstSlot >= 0) {
        multiRowsChanged(scopeBankMask[spec.scope().ordinal()][fb]);
      }
    }
    if (observer != null) {
      int nb = org.banks();
      observer.onCommand(now, pseudoChannel, cmd, fb / (nb * org.bankGroups()), (fb / nb) % org.bankGroups(),
          fb % nb, row, column);
    }
  }

  private boolean otherRequestHits(int self, int fb, int row) {
    for (int q = 0; q < QUEUES; q++) {
      int[] queue = queues[q];
      for (int i = 0; i < queueCount[q]; i++) {
        int s = queue[i];
        if (s != self && slotBank[s] == fb && slotRow[s] == row) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Closed and adaptive page policies: precharge one row that should close and that no queued
   * request hits. Returns {@code now} if a command issued, else the next cycle worth checking.
   */
  private long closeIdleRows(long now) {
    long wake = Long.MAX_VALUE;
    for (int b = 0; b < lastAccess.length; b++) {
      int row = engine.openRow(b);
      if (row < 0) {
        continue;
      }
      boolean want = pagePolicy == PagePolicy.CLOSED ? closeWanted[b] : true;
      if (!want) {
        continue;
      }
      if (pagePolicy == PagePolicy.ADAPTIVE && lastAccess[b] + adaptiveIdle > now) {
        wake = Math.min(wake, lastAccess[b] + adaptiveIdle);
        continue;
      }
      if (otherRequestHits(-1, b, row) || refresh.targets(b)) {
        continue;
      }
      long e = engine.earliest(preCommand, b);
      if (e <= now) {
        issue(preCommand, b, -1, -1, now);
        return now;
      }
      wake = Math.min(wake, e);
    }
    return wake;
  }

  /** First open bank among the targets of {@code cmd} at {@code fb}, or -1. */
  private int firstOpen(int cmd, int fb) {
    for (int b : engine.targetBanks(cmd, fb)) {
      if (engine.openRow(b) >= 0) {
        return b;
      }
    }
    return -1;
  }

  public int pseudoChannel() {
    return pseudoChannel;
  }

  public boolean idle() {
    return freeCount == slotClient.length;
  }

  /** Queued requests and refresh state, for diagnosing a stuck simulation. */
  public String describe() {
    StringBuilder b = new StringBuilder("pCH " + pseudoChannel + ":");
    int shown = 0;
    for (int q = 0; q < QUEUES; q++) {
      b.append(q % 2 == 0 ? " requester " + q / 2 + " (write mode " + writeMode[q / 2] + "): " : ", ")
          .append(queueCount[q]).append(isWriteQueue(q) ? " writes" : " reads");
    }
    b.append(" queued, refresh pending ").append(refresh.pending());
    for (int q = 0; q < QUEUES; q++) {
      for (int i = 0; i < queueCount[q] && shown < 4; i++, shown++) {
        int s = queues[q][i];
        b.append("; ").append(engine.spec(slotCommand[s]).name()).append(" bank ").append(slotBank[s]).append(" row ")
            .append(slotRow[s]).append(" (open ").append(engine.openRow(slotBank[s])).append(")");
      }
    }
    return b.toString();
  }

  public long commandCount(int command) {
    return commandCount[command];
  }

  public long activatedBanks() {
    return activatedBanks;
  }

  public long refreshedBanks() {
    return refreshedBanks;
  }

  public long rowHits() {
    return rowHits;
  }

  public long rowMisses() {
    return rowMisses;
  }

  public long rowConflicts() {
    return rowConflicts;
  }

  public long reads() {
    return reads;
  }

  /** Cycles from arrival to the last data, summed over the reads. */
  public long readLatencySum() {
    return readLatencySum;
  }

  public long writes() {
    return writes;
  }

  public long completed() {
    return completed;
  }

  public long lastCompletion() {
    return lastCompletion;
  }

  public long bytes(DataPath path) {
    return bytesByPath[path.ordinal()];
  }

  public TimingEngine engine() {
    return engine;
  }
}
