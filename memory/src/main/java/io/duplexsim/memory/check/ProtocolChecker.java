package io.duplexsim.memory.check;

import io.duplexsim.memory.CommandObserver;
import io.duplexsim.memory.standard.CommandSpec;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Level;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.TimingConstraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An independent DRAM protocol checker: replays every issued command against the standard's
 * timing-constraint rows and the bank state, online, and counts violations. It is written directly
 * from the rule semantics and shares no code with the controller's timing engine, so the two can
 * check each other.
 *
 * <p>What is checked, per pseudo-channel:
 *
 * <ul>
 *   <li><b>Timing rows</b> ({@link TimingConstraint}): a command reaches a set of target banks
 *       ({@link io.duplexsim.memory.standard.Scope}); its target nodes at a level are the ancestors
 *       of those banks. After a preceding command issued at cycle tP at node X, a following command
 *       whose target nodes include X is illegal before tP + latency. With window w > 1 the rule
 *       counts from the w-th most recent issue of any preceding command at X (and only once w have
 *       issued there). Sibling rows bind the other nodes under X's parent instead of X itself; at
 *       the pseudo-channel level a node has no siblings here (each pseudo-channel is checked on its
 *       own).
 *   <li><b>Bank state</b>: commands that open rows need every target bank closed; access commands
 *       need every target bank open at the command's row (RDA/WRA check, then close); refreshes need
 *       every target bank closed; closing commands on closed banks are legal no-ops. Rows opened
 *       must lie in {@code [0, org.rows())}.
 *   <li><b>Command buses</b>: at most one row-bus and one column-bus command per cycle, and
 *       commands in non-decreasing cycle order.
 *   <li><b>Addresses</b>: the rank / bank group / bank arguments the command's scope uses must be in
 *       range (pseudo-channel-wide commands ignore them).
 *   <li><b>Refresh</b> (only after {@link #enableRefreshCheck}): every bank must be refreshed (by
 *       any refresh command whose scope covers it) at least once every {@code (maxPostponed + 1) x
 *       nREFI} cycles, counted from cycle 0. A late bank is noticed at the first command on its
 *       pseudo-channel past its deadline (or by {@link #finish}); each such detection is one
 *       violation, counted apart from command violations ({@link #refreshViolations()}). For
 *       all-bank refresh this is exactly "no gap between REFab longer than the limit". For
 *       per-bank and same-bank refresh it is a per-bank approximation of the standard's rule (the
 *       standard budgets postponement in refresh commands, not per bank); refresh <em>rate</em>
 *       (refreshing too often) and the REFsb/REFpb bank-rotation order are not checked.
 * </ul>
 *
 * <p>Not checked: data-bus contents, the column address, power-down / self-refresh states, and
 * anything across pseudo-channels. A command that breaks several rules counts once; its effects
 * (history, bank state) are applied anyway, as the device would receive it.
 *
 * <p>State kept: per pseudo-channel, per node of each level and per command, the last
 * {@code window} issue times (window = the largest window of any row at that level), the open row
 * of every bank, the bus use of the current cycle and per-bank last refresh. Work per command is
 * bounded by rows x target nodes x preceding commands x window.
 */
public final class ProtocolChecker implements CommandObserver {
  /** How many violation messages {@link #firstViolations()} keeps. */
  public static final int MAX_MESSAGES = 20;
  /** Default refresh postponement allowance (JEDEC: up to 8 REFab may be postponed). */
  public static final double DEFAULT_MAX_POSTPONED = 8;

  private static final long NONE = Long.MIN_VALUE;
  private static final int CLOSED = -1;
  private static final Level[] LEVELS = CommandTargets.LEVELS;
  private static final int BANK_LEVEL = CommandTargets.BANK_LEVEL;

  private final DramStandard standard;
  private final Organization org;
  private final int pseudoChannels;
  /** Per command id: the rows in which it is a following command. */
  private final List<List<Rule>> rowsFollowing = new ArrayList<>();
  /** Per level index: how many recent issue times to keep per node and command. */
  private final int[] depth = new int[LEVELS.length];
  private final CommandTargets targets;
  private final Channel[] channels;
  private final int commandCount;
  private final long[] scratch;

  private long commandsChecked;
  private long commandViolations;
  private long refreshViolations;
  private final List<String> messages = new ArrayList<>();
  private long refreshLimit = -1; // cycles; -1 = refresh not checked

  public ProtocolChecker(DramStandard standard, int pseudoChannels) {
    if (pseudoChannels <= 0) {
      throw new IllegalArgumentException("pseudoChannels must be positive, got " + pseudoChannels);
    }
    this.standard = standard;
    this.org = standard.org();
    this.pseudoChannels = pseudoChannels;
    int commands = standard.commands().size();
    commandCount = commands;
    for (int c = 0; c < commands; c++) {
      rowsFollowing.add(new ArrayList<>());
    }
    Arrays.fill(depth, 1);
    int scratchSize = 1;
    for (TimingConstraint row : standard.constraints()) {
      Rule rule = new Rule(row);
      depth[rule.level] = Math.max(depth[rule.level], rule.window);
      for (int f : distinct(row.following())) {
        rowsFollowing.get(f).add(rule);
      }
      scratchSize = Math.max(scratchSize, rule.preceding.length * rule.window);
    }
    scratch = new long[scratchSize];
    targets = new CommandTargets(org, commands);
    channels = new Channel[pseudoChannels];
    for (int p = 0; p < pseudoChannels; p++) {
      channels[p] = new Channel();
    }
  }

  /** As {@link #ProtocolChecker(DramStandard, int)}, with the refresh check on at the default allowance. */
  public ProtocolChecker(DramStandard standard, int pseudoChannels, boolean checkRefresh) {
    this(standard, pseudoChannels);
    if (checkRefresh) {
      enableRefreshCheck(DEFAULT_MAX_POSTPONED);
    }
  }

  /**
   * Turns on the refresh check: every bank must be refreshed at least once every
   * {@code (maxPostponedIntervals + 1) x nREFI} cycles.
   */
  public ProtocolChecker enableRefreshCheck(double maxPostponedIntervals) {
    if (!(maxPostponedIntervals >= 0)) {
      throw new IllegalArgumentException("maxPostponedIntervals must be >= 0, got " + maxPostponedIntervals);
    }
    refreshLimit = (long) Math.ceil((maxPostponedIntervals + 1) * standard.timing("nREFI"));
    for (Channel ch : channels) {
      ch.updateRefreshDeadline();
    }
    return this;
  }

  @Override
  public void onCommand(long cycle, int pseudoChannel, int command, int rank, int bankGroup, int bank, int row,
      int column) {
    commandsChecked++;
    if (pseudoChannel < 0 || pseudoChannel >= pseudoChannels) {
      commandViolation(cycle, pseudoChannel, "command " + command, "", "pseudo-channel out of range [0, "
          + pseudoChannels + ")", NONE);
      return;
    }
    if (command < 0 || command >= standard.commands().size()) {
      commandViolation(cycle, pseudoChannel, "command " + command, "", "unknown command id", NONE);
      return;
    }
    CommandSpec spec = standard.command(command);
    Channel ch = channels[pseudoChannel];
    String badAddress = targets.addressProblem(spec, rank, bankGroup, bank);
    if (badAddress != null) {
      commandViolation(cycle, pseudoChannel, spec.name(), address(spec, rank, bankGroup, bank, row, column),
          badAddress, NONE);
      return;
    }
    int[][] nodes = targets.of(spec, rank, bankGroup, bank);
    int[] banks = nodes[BANK_LEVEL];

    if (refreshLimit >= 0) {
      checkRefreshDeadlines(ch, pseudoChannel, cycle);
    }

    // --- legality: order, bus, timing rows, bank state (text only while messages are kept) ---
    int problems = check(ch, spec, nodes, row, cycle, null);
    if (problems > 0) {
      commandViolations++;
      if (messages.size() < MAX_MESSAGES) {
        StringBuilder text = new StringBuilder();
        check(ch, spec, nodes, row, cycle, text);
        message("cycle " + cycle + " pCH " + pseudoChannel + " " + spec.name() + " "
            + address(spec, rank, bankGroup, bank, row, column) + ": " + text);
      }
    }

    // --- effects: the device received the command, legal or not ---
    ch.lastCycle = ch.lastCycle == NONE ? cycle : Math.max(ch.lastCycle, cycle);
    if (spec.bus() == CommandSpec.Bus.ROW) {
      ch.rowBusCycle = cycle;
    } else {
      ch.columnBusCycle = cycle;
    }
    for (int l = 0; l < LEVELS.length; l++) {
      for (int node : nodes[l]) {
        remember(ch.history[l], slot(l, node, command), depth[l], cycle);
      }
    }
    for (int b : banks) {
      if (spec.opens()) {
        ch.openRow[b] = row;
      }
      if (spec.closes()) {
        ch.openRow[b] = CLOSED;
      }
      if (spec.refresh()) {
        ch.lastRefresh[b] = Math.max(ch.lastRefresh[b], cycle);
        ch.refreshReported[b] = false;
      }
    }
    if (spec.refresh()) {
      ch.updateRefreshDeadline();
    }
  }

  /**
   * Runs the refresh check up to {@code endCycle} on every pseudo-channel (banks whose refresh is
   * overdue at the end of a run). No effect unless the refresh check is enabled.
   */
  public void finish(long endCycle) {
    if (refreshLimit < 0) {
      return;
    }
    for (int p = 0; p < pseudoChannels; p++) {
      checkRefreshDeadlines(channels[p], p, endCycle);
    }
  }

  /** Total violations: commands that broke a rule plus refresh-deadline misses. */
  public long violations() {
    return commandViolations + refreshViolations;
  }

  /** Commands that broke at least one rule (each counted once). */
  public long commandViolations() {
    return commandViolations;
  }

  /** Refresh-deadline misses (0 unless the refresh check is enabled). */
  public long refreshViolations() {
    return refreshViolations;
  }

  /** Up to {@link #MAX_MESSAGES} human-readable descriptions of the first violations. */
  public List<String> firstViolations() {
    return Collections.unmodifiableList(messages);
  }

  public long commandsChecked() {
    return commandsChecked;
  }

  // ------------------------------------------------------------------------------------------------
  // Timing rows

  /** Earliest cycle a following command of {@code rule} may issue at the given target nodes, or NONE. */
  private long bound(Channel ch, Rule rule, int[] targetNodes) {
    int l = rule.level;
    long best = NONE;
    for (int y : targetNodes) {
      if (!rule.sibling) {
        best = Math.max(best, boundAt(ch, rule, l, y));
      } else {
        int fan = targets.fanOut(l);
        int parent = y / fan;
        for (int x = parent * fan; x < (parent + 1) * fan; x++) {
          if (x != y) {
            best = Math.max(best, boundAt(ch, rule, l, x));
          }
        }
      }
    }
    return best;
  }

  /** Bound set at node {@code x} by the preceding commands of {@code rule} issued there, or NONE. */
  private long boundAt(Channel ch, Rule rule, int l, int x) {
    long[] recent = ch.history[l];
    int w = rule.window;
    if (w == 1) {
      long last = NONE;
      for (int p : rule.preceding) {
        last = Math.max(last, recent[slot(l, x, p)]);
      }
      return last == NONE ? NONE : last + rule.latency;
    }
    // Window: the w-th most recent issue of any preceding command at x. Each command keeps its own
    // `depth >= w` most recent times, so the w most recent overall are among those gathered here.
    int n = 0;
    for (int p : rule.preceding) {
      int from = slot(l, x, p);
      for (int k = from; k < from + depth[l]; k++) {
        if (recent[k] != NONE) {
          scratch[n++] = recent[k];
        }
      }
    }
    if (n < w) {
      return NONE;
    }
    Arrays.sort(scratch, 0, n);
    return scratch[n - w] + rule.latency;
  }

  /** Where the issue times of {@code command} at node {@code node} of level {@code l} start in the history. */
  private int slot(int l, int node, int command) {
    return (node * commandCount + command) * depth[l];
  }

  /**
   * Inserts {@code cycle} into the most-recent-first list of issue times at
   * {@code recent[from .. from + length)}, dropping the oldest.
   */
  private static void remember(long[] recent, int from, int length, long cycle) {
    int end = from + length;
    int pos = from;
    while (pos < end && recent[pos] != NONE && recent[pos] >= cycle) {
      pos++;
    }
    if (pos == end) {
      return; // older than every time kept (only possible for out-of-order commands)
    }
    System.arraycopy(recent, pos, recent, pos + 1, end - pos - 1);
    recent[pos] = cycle;
  }

  // ------------------------------------------------------------------------------------------------
  // Bank state

  /**
   * Counts the rules the command breaks. With {@code text} non-null, appends a description of the
   * first one, how many more there are and the earliest legal cycle.
   */
  private int check(Channel ch, CommandSpec spec, int[][] targets, int row, long cycle, StringBuilder text) {
    int problems = 0;
    String first = null;
    long earliest = NONE;
    if (ch.lastCycle != NONE && cycle < ch.lastCycle) {
      problems++;
      earliest = ch.lastCycle;
      if (text != null) {
        first = "out of order: a command already issued at cycle " + ch.lastCycle;
      }
    }
    long busLast = spec.bus() == CommandSpec.Bus.ROW ? ch.rowBusCycle : ch.columnBusCycle;
    if (busLast == cycle) {
      problems++;
      earliest = Math.max(earliest, cycle + 1);
      if (text != null && first == null) {
        first = "the " + spec.bus().name().toLowerCase() + " command bus already carries a command this cycle";
      }
    }
    for (Rule rule : rowsFollowing.get(spec.id())) {
      long bound = bound(ch, rule, targets[rule.level]);
      earliest = Math.max(earliest, bound);
      if (bound > cycle) {
        problems++;
        if (text != null && first == null) {
          first = "timing " + rule.row + " needs cycle >= " + bound;
        }
      }
    }
    int[] banks = targets[BANK_LEVEL];
    int badBank = badBank(spec, ch, banks, row);
    if (badBank >= 0) {
      problems++;
      if (text != null && first == null) {
        first = bankStateText(spec, ch, badBank, row);
      }
    }
    if (text != null && problems > 0) {
      text.append(first);
      if (problems > 1) {
        text.append(" (+").append(problems - 1).append(" more)");
      }
      if (earliest != NONE) {
        text.append("; earliest legal cycle ").append(earliest);
      }
      if (badBank >= 0) {
        text.append("; bank state must change first");
      }
    }
    return problems;
  }

  /** A target bank in the wrong state for the command ({@code -1} when all are fine). */
  private int badBank(CommandSpec spec, Channel ch, int[] banks, int row) {
    if (spec.opens() && (row < 0 || row >= org.rows())) {
      return banks[0];
    }
    for (int b : banks) {
      boolean needClosed = spec.opens() || spec.refresh();
      if (needClosed && ch.openRow[b] != CLOSED) {
        return b;
      }
      if (spec.isAccess() && ch.openRow[b] != row) {
        return b;
      }
    }
    return -1;
  }

  private String bankStateText(CommandSpec spec, Channel ch, int b, int row) {
    if (spec.opens() && (row < 0 || row >= org.rows())) {
      return spec.name() + " opens row " + row + ", outside [0, " + org.rows() + ")";
    }
    if (spec.isAccess()) {
      return spec.name() + " needs row " + row + " open in bank " + bankName(b) + ", but "
          + (ch.openRow[b] == CLOSED ? "the bank is closed" : "row " + ch.openRow[b] + " is open");
    }
    return spec.name() + " needs bank " + bankName(b) + " closed, but row " + ch.openRow[b] + " is open";
  }

  // ------------------------------------------------------------------------------------------------
  // Refresh

  private void checkRefreshDeadlines(Channel ch, int pseudoChannel, long cycle) {
    if (cycle <= ch.refreshDeadline) {
      return;
    }
    int late = 0;
    int firstLate = -1;
    for (int b = 0; b < ch.lastRefresh.length; b++) {
      if (!ch.refreshReported[b] && cycle > ch.lastRefresh[b] + refreshLimit) {
        ch.refreshReported[b] = true;
        if (late++ == 0) {
          firstLate = b;
        }
      }
    }
    if (late > 0) {
      refreshViolations++;
      message("cycle " + cycle + " pCH " + pseudoChannel + ": refresh overdue: " + late + " bank(s), first "
          + bankName(firstLate) + ", not refreshed since cycle " + ch.lastRefresh[firstLate] + " (limit "
          + refreshLimit + " cycles; deadline was cycle " + (ch.lastRefresh[firstLate] + refreshLimit) + ")");
    }
    ch.updateRefreshDeadline();
  }

  private static int[] distinct(int[] ids) {
    return Arrays.stream(ids).distinct().toArray();
  }

  // ------------------------------------------------------------------------------------------------
  // Messages

  private void commandViolation(long cycle, int pseudoChannel, String command, String address, String problem,
      long earliest) {
    commandViolations++;
    if (messages.size() < MAX_MESSAGES) {
      message("cycle " + cycle + " pCH " + pseudoChannel + " " + command + (address.isEmpty() ? "" : " " + address)
          + ": " + problem + (earliest != NONE ? "; earliest legal cycle " + earliest : ""));
    }
  }

  private void message(String text) {
    if (messages.size() < MAX_MESSAGES) {
      messages.add(text);
    }
  }

  private String address(CommandSpec spec, int rank, int bankGroup, int bank, int row, int column) {
    String where = switch (spec.scope()) {
      case BANK -> "r" + rank + " bg" + bankGroup + " b" + bank;
      case SAME_BANK -> "r" + rank + " b" + bank + " (every bank group)";
      case BUNDLE -> "r" + rank + " bundle " + (bank / Math.max(1, org.bundleBanksPerGroup()));
      case RANK -> "r" + rank;
      case PSEUDO_CHANNEL -> "(all banks)";
    };
    return where + (row >= 0 ? " row " + row : "") + (column >= 0 ? " col " + column : "");
  }

  private String bankName(int flat) {
    int b = flat % org.banks();
    int g = (flat / org.banks()) % org.bankGroups();
    int r = flat / org.banksPerRank();
    return "r" + r + " bg" + g + " b" + b;
  }

  /** One constraint row, resolved for checking. */
  private static final class Rule {
    final TimingConstraint row;
    final int level;
    final int[] preceding;
    final long latency;
    final int window;
    final boolean sibling;

    Rule(TimingConstraint row) {
      this.row = row;
      this.level = CommandTargets.levelIndex(row.level());
      this.preceding = distinct(row.preceding());
      this.latency = row.latency();
      this.window = Math.max(1, row.window());
      this.sibling = row.sibling();
    }
  }

  /** Per-pseudo-channel state. */
  private final class Channel {
    long lastCycle = NONE;
    long rowBusCycle = NONE;
    long columnBusCycle = NONE;
    /**
     * Per level index: for each node and command ({@link #slot}), its last {@code depth[level]} issue
     * times, most recent first, NONE when empty.
     */
    final long[][] history = new long[LEVELS.length][];
    final int[] openRow = new int[org.banksPerPseudoChannel()];
    final long[] lastRefresh = new long[org.banksPerPseudoChannel()];
    final boolean[] refreshReported = new boolean[org.banksPerPseudoChannel()];
    /** Earliest deadline of a bank not yet reported late; no bank is late at or before it. */
    long refreshDeadline = Long.MAX_VALUE;

    void updateRefreshDeadline() {
      refreshDeadline = Long.MAX_VALUE;
      if (refreshLimit >= 0) {
        for (int b = 0; b < lastRefresh.length; b++) {
          if (!refreshReported[b]) {
            refreshDeadline = Math.min(refreshDeadline, lastRefresh[b] + refreshLimit);
          }
        }
      }
    }

    Channel() {
      for (int l = 0; l < LEVELS.length; l++) {
        history[l] = new long[targets.nodeCount(l) * commandCount * depth[l]];
        Arrays.fill(history[l], NONE);
      }
      Arrays.fill(openRow, CLOSED);
    }
  }
}
