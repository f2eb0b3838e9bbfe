package io.duplexsim.memory.controller;

import io.duplexsim.memory.standard.CommandSpec;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Scope;
import java.util.Arrays;

/**
 * Timing and row state of one pseudo-channel, driven entirely by the standard's constraint rows:
 * each node keeps the earliest legal cycle of every command, plus a short issue history for window
 * rules (tFAW); row state exists only as the open row of each bank (-1 when closed).
 */
public final class TimingEngine {
  private final DramStandard standard;
  private final ScopeTargets targets;
  private final int commandCount;
  private final CommandSpec[] specs;
  private final Scope[] scopes;
  /** [node * commandCount + command] -> earliest legal cycle. */
  private final long[] nextLegal;
  private final int[] openRow;
  /** [flatBank * 4 + level] -> first index of that bank's ancestor node in nextLegal. */
  private final int[] bankNodeBase;
  /** [scope][flatBank] -> first index in nextLegal of every node the scope's targets reach, all levels. */
  private final int[][][] scopeNodeBase;
  /**
   * Every command: its plain rows (no window, no siblings) folded into one list of
   * (level, following command, latency), duplicates keeping the largest latency, so that issuing
   * walks one short array per target node; the other rows stay in {@link #windowOrSiblingRules}.
   */
  private final int[][] bankRowFollowing;
  private final int[][] bankRowLatency;
  /** Per command: where each level's entries start in its folded list (sorted by level), and the end. */
  private final int[][] bankRowLevelStart;
  private final int[][][] bankRowIndex;
  private final Rule[][] windowOrSiblingRules;
  /**
   * Commands reaching the whole pseudo-channel (PREA, REFab, ACTAB, MACAB) reach every node, so their
   * earliest cycle is the largest over all nodes; as entries only grow, that is the running maximum
   * of every value written for them ({@link #wholeChannelEarliest}). Per issuing command, its plain
   * rows' such following commands and their largest latency over levels (each level's rows write at
   * least one node).
   */
  private final boolean[] wholeChannel;
  private final long[] wholeChannelEarliest;
  private final int[][] wholeRowFollowing;
  private final int[][] wholeRowLatency;
  /** The commands its layout keeps the timing of (for the assertions). */
  private final boolean[] mayIssue;

  /** One constraint row compiled for fast issue. */
  private static final class Rule {
    final int level;
    final int[] following;
    final int latency;
    final int window;
    final boolean sibling;
    /** Window history: [node * window + k], ring per node. */
    final long[] history;
    final int[] historyCount;

    Rule(int level, int[] following, int latency, int window, boolean sibling, int nodeCount) {
      this.level = level;
      this.following = following;
      this.latency = latency;
      this.window = window;
      this.sibling = sibling;
      this.history = window > 1 ? new long[nodeCount * window] : null;
      this.historyCount = window > 1 ? new int[nodeCount] : null;
    }
  }

  public TimingEngine(DramStandard standard) {
    this(standard, TimingLayout.of(standard));
  }

  /** An engine of {@code standard} on its {@code layout} ({@link TimingLayout#of} it), which its engines share. */
  public TimingEngine(DramStandard standard, TimingLayout layout) {
    if (layout.standard != standard) {
      throw new IllegalArgumentException("timing layout of " + layout.standard.name() + ", not of this "
          + standard.name() + " (its latencies are its standard's)");
    }
    this.standard = standard;
    // the layout's tables as this engine's own fields, which the issue and earliest paths load as before
    this.targets = layout.targets;
    this.commandCount = layout.commandCount;
    this.specs = layout.specs;
    this.scopes = layout.scopes;
    this.nextLegal = new long[targets.nodeCount() * commandCount];
    this.openRow = new int[standard.org().banksPerPseudoChannel()];
    Arrays.fill(openRow, -1);
    this.bankNodeBase = layout.bankNodeBase;
    this.scopeNodeBase = layout.scopeNodeBase;
    this.bankRowFollowing = layout.bankRowFollowing;
    this.bankRowLatency = layout.bankRowLatency;
    this.bankRowLevelStart = layout.bankRowLevelStart;
    this.bankRowIndex = layout.bankRowIndex;
    this.wholeChannel = layout.wholeChannel;
    this.wholeChannelEarliest = new long[commandCount];
    this.wholeRowFollowing = layout.wholeRowFollowing;
    this.wholeRowLatency = layout.wholeRowLatency;
    this.mayIssue = layout.mayIssue;
    // the rows with issue history are this engine's own (a window row's history is per node)
    Rule[] rules = new Rule[layout.rules.length];
    this.windowOrSiblingRules = new Rule[commandCount][];
    for (int c = 0; c < commandCount; c++) {
      int[] indices = layout.windowOrSiblingRules[c];
      windowOrSiblingRules[c] = new Rule[indices.length];
      for (int k = 0; k < indices.length; k++) {
        int index = indices[k];
        if (rules[index] == null) {
          TimingLayout.RuleSpec r = layout.rules[index];
          rules[index] = new Rule(r.level(), r.following(), r.latency(), r.window(), r.sibling(), targets.nodeCount());
        }
        windowOrSiblingRules[c][k] = rules[index];
      }
    }
  }

  public DramStandard standard() {
    return standard;
  }

  /** Does this engine keep the timing of {@code command} (its layout may leave out commands a run never issues)? */
  public boolean keepsTimingOf(int command) {
    return mayIssue[command];
  }

  /** Earliest cycle at which {@code command} addressed to {@code flatBank} meets every constraint. */
  public long earliest(int command, int flatBank) {
    assert mayIssue[command] : "timing of " + specs[command].name() + " is not kept by this engine's layout";
    Scope s = scopes[command];
    if (s == Scope.BANK) {
      // Hot path: one node per level.
      int b = flatBank * ScopeTargets.LEVELS;
      long t = nextLegal[bankNodeBase[b] + command];
      long v = nextLegal[bankNodeBase[b + 1] + command];
      if (v > t) {
        t = v;
      }
      v = nextLegal[bankNodeBase[b + 2] + command];
      if (v > t) {
        t = v;
      }
      v = nextLegal[bankNodeBase[b + 3] + command];
      return v > t ? v : t;
    }
    if (s == Scope.PSEUDO_CHANNEL) {
      assert wholeChannelEarliest[command] == walk(command, scopeNodeBase[s.ordinal()][flatBank])
          : "running maximum of " + specs[command].name();
      return wholeChannelEarliest[command];
    }
    return walk(command, scopeNodeBase[s.ordinal()][flatBank]);
  }

  /** The largest earliest cycle of {@code command} over the nodes at these offsets. */
  private long walk(int command, int[] nodes) {
    long t = 0;
    for (int base : nodes) {
      long v = nextLegal[base + command];
      if (v > t) {
        t = v;
      }
    }
    return t;
  }

  /**
   * Earliest cycle at which {@code command} meets the pseudo-channel-wide constraints: a lower bound
   * of {@link #earliest} for every target (every scope's nodes include the pseudo-channel's node 0).
   */
  public long channelEarliest(int command) {
    assert mayIssue[command] : "timing of " + specs[command].name() + " is not kept by this engine's layout";
    return nextLegal[command];
  }

  /** Applies {@code command} issued at {@code cycle}: timing of every affected node, then row state. */
  public void issue(int command, int flatBank, int row, long cycle) {
    assert mayIssue[command] : specs[command].name() + " issued on a layout that keeps no timing for it";
    Scope s = scopes[command];
    int[] wholeFollowing = wholeRowFollowing[command];
    for (int k = 0; k < wholeFollowing.length; k++) {
      long legal = cycle + wholeRowLatency[command][k];
      if (wholeChannelEarliest[wholeFollowing[k]] < legal) {
        wholeChannelEarliest[wholeFollowing[k]] = legal;
      }
    }
    if (s == Scope.BANK) {
      // Hot path: one node per level, every plain row folded into one list (taking the maximum of
      // several rows on the same entry is what applying them one by one does), its entries' indices
      // for this bank laid out in advance.
      int[] index = bankRowIndex[command][flatBank];
      int[] latency = bankRowLatency[command];
      for (int k = 0; k < index.length; k++) {
        int i = index[k];
        long legal = cycle + latency[k];
        if (nextLegal[i] < legal) {
          nextLegal[i] = legal;
        }
      }
    } else {
      // Multi-bank commands: the same folded rows, applied to each target node of a level.
      int[] start = bankRowLevelStart[command];
      int[] following = bankRowFollowing[command];
      int[] latency = bankRowLatency[command];
      for (int level = 0; level < ScopeTargets.LEVELS; level++) {
        int first = start[level];
        int end = start[level + 1];
        if (first == end) {
          continue;
        }
        for (int n : targets.nodes(s, flatBank, level)) {
          int node = n * commandCount;
          for (int k = first; k < end; k++) {
            int i = node + following[k];
            long legal = cycle + latency[k];
            if (nextLegal[i] < legal) {
              nextLegal[i] = legal;
            }
          }
        }
      }
    }
    for (Rule rule : windowOrSiblingRules[command]) {
      int[] ns = rule.sibling ? targets.siblings(s, flatBank, rule.level) : targets.nodes(s, flatBank, rule.level);
      for (int n : ns) {
        long from = cycle;
        if (rule.window > 1) {
          int count = rule.historyCount[n];
          int w = rule.window;
          rule.history[n * w + (count % w)] = cycle;
          rule.historyCount[n] = count + 1;
          if (count + 1 < w) {
            continue;
          }
          // Oldest of the last w issues, which sits right after the newest in the ring.
          from = rule.history[n * w + ((count + 1) % w)];
        }
        long legal = from + rule.latency;
        int base = n * commandCount;
        for (int f : rule.following) {
          if (nextLegal[base + f] < legal) {
            nextLegal[base + f] = legal;
          }
          if (wholeChannel[f] && wholeChannelEarliest[f] < legal) {
            wholeChannelEarliest[f] = legal;
          }
        }
      }
    }
    CommandSpec spec = specs[command];
    if (spec.opens() || spec.closes()) {
      int[] banks = targets.banks(s, flatBank);
      int value = spec.closes() ? -1 : row;
      for (int b : banks) {
        openRow[b] = value;
      }
    }
  }

  /** Open row of a bank, -1 if closed. */
  public int openRow(int flatBank) {
    return openRow[flatBank];
  }

  /** Banks a command of this scope reaches from {@code flatBank}. */
  public int[] targetBanks(int command, int flatBank) {
    return targets.banks(scopes[command], flatBank);
  }

  public int[] targetBanks(Scope scope, int flatBank) {
    return targets.banks(scope, flatBank);
  }

  public CommandSpec spec(int command) {
    return specs[command];
  }
}
