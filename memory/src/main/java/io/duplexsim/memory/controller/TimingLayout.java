package io.duplexsim.memory.controller;

import io.duplexsim.memory.standard.CommandSpec;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Scope;
import io.duplexsim.memory.standard.TimingConstraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link TimingEngine} derives from its standard alone: node offsets per bank and scope, and the
 * constraint rows compiled per issuing command. Immutable, so a memory system's pseudo-channels share one
 * (a device has a hundred or more, and a first serving run builds a fresh device for each op shape it
 * simulates: deriving this per engine was most of building a device).
 */
public final class TimingLayout {
  /** The standard it was derived from (its latencies are that standard's). */
  final DramStandard standard;
  final ScopeTargets targets;
  final int commandCount;
  final CommandSpec[] specs;
  final Scope[] scopes;
  /** [flatBank * 4 + level] -> first index of that bank's ancestor node in an engine's nextLegal. */
  final int[] bankNodeBase;
  /** [scope][flatBank] -> first index in nextLegal of every node the scope's targets reach, all levels. */
  final int[][][] scopeNodeBase;
  /**
   * Every constraint row with a latency; an engine makes its own copy of each row it applies one by one
   * ({@link #windowOrSiblingRules}: a window row keeps issue history per node).
   */
  final RuleSpec[] rules;
  /** Per issuing command: indices in {@link #rules} of its window or sibling rows. */
  final int[][] windowOrSiblingRules;
  /** Per issuing command: its plain rows folded (see {@link TimingEngine}), by level, then their level starts. */
  final int[][] bankRowFollowing;
  final int[][] bankRowLatency;
  final int[][] bankRowLevelStart;
  /**
   * Per single-bank issuing command and bank: the nextLegal index each of its folded rows writes (the row's
   * ancestor node at its level plus its following command), in row order, so that an issue walks one
   * array ({@code null} for other scopes).
   */
  final int[][][] bankRowIndex;
  final boolean[] wholeChannel;
  final int[][] wholeRowFollowing;
  final int[][] wholeRowLatency;
  /**
   * The commands an engine on this layout may be asked about or told of; rows delaying any other command
   * are left out, since nothing reads what they would write.
   */
  final boolean[] mayIssue;

  /** One constraint row as an engine applies it: the level it is kept at, what it delays, by how much. */
  record RuleSpec(int level, int[] following, int latency, int window, boolean sibling) {}

  /** The layout of {@code standard}'s pseudo-channels. */
  public static TimingLayout of(DramStandard standard) {
    boolean[] all = new boolean[standard.commands().size()];
    Arrays.fill(all, true);
    return new TimingLayout(standard, all);
  }

  /**
   * The layout of {@code standard}'s pseudo-channels for engines that only ever issue, or ask about,
   * the commands of {@code mayIssue}: a run of reads and writes issues 6 of HBM3's 17 commands, and an
   * ACT then updates 11 timing entries per bank instead of 35. An engine asked about another command
   * fails its assertion.
   */
  public static TimingLayout of(DramStandard standard, boolean[] mayIssue) {
    if (mayIssue.length != standard.commands().size()) {
      throw new IllegalArgumentException("one flag per command of " + standard.name());
    }
    return new TimingLayout(standard, mayIssue.clone());
  }

  private TimingLayout(DramStandard standard, boolean[] mayIssue) {
    this.standard = standard;
    this.mayIssue = mayIssue;
    this.targets = ScopeTargets.of(standard.org());
    this.commandCount = standard.commands().size();
    this.specs = standard.commands().toArray(new CommandSpec[0]);
    this.scopes = new Scope[commandCount];
    for (int c = 0; c < commandCount; c++) {
      scopes[c] = specs[c].scope();
    }
    int banks = standard.org().banksPerPseudoChannel();
    this.bankNodeBase = new int[banks * ScopeTargets.LEVELS];
    for (int fb = 0; fb < banks; fb++) {
      for (int level = 0; level < ScopeTargets.LEVELS; level++) {
        bankNodeBase[fb * ScopeTargets.LEVELS + level] = targets.nodeOf(level, fb) * commandCount;
      }
    }
    Scope[] allScopes = Scope.values();
    this.scopeNodeBase = new int[allScopes.length][banks][];
    for (Scope scope : allScopes) {
      for (int fb = 0; fb < banks; fb++) {
        int[] all = new int[0];
        for (int level = 0; level < ScopeTargets.LEVELS; level++) {
          int[] ns = targets.nodes(scope, fb, level);
          int from = all.length;
          all = Arrays.copyOf(all, from + ns.length);
          for (int k = 0; k < ns.length; k++) {
            all[from + k] = ns[k] * commandCount;
          }
        }
        scopeNodeBase[scope.ordinal()][fb] = all;
      }
    }
    List<RuleSpec> specsOfRules = new ArrayList<>();
    List<List<Integer>> byPre = new ArrayList<>();
    for (int c = 0; c < commandCount; c++) {
      byPre.add(new ArrayList<>());
    }
    for (TimingConstraint t : standard.constraints()) {
      if (t.latency() <= 0) {
        continue;
      }
      int[] following = Arrays.stream(t.following()).filter(f -> mayIssue[f]).toArray();
      if (following.length == 0) {
        continue;
      }
      int index = specsOfRules.size();
      specsOfRules.add(new RuleSpec(ScopeTargets.levelIndex(t.level()), following, t.latency(), t.window(),
          t.sibling()));
      for (int p : t.preceding()) {
        byPre.get(p).add(index);
      }
    }
    this.rules = specsOfRules.toArray(new RuleSpec[0]);
    wholeChannel = new boolean[commandCount];
    for (int c = 0; c < commandCount; c++) {
      wholeChannel[c] = scopes[c] == Scope.PSEUDO_CHANNEL;
    }
    wholeRowFollowing = new int[commandCount][];
    wholeRowLatency = new int[commandCount][];
    bankRowFollowing = new int[commandCount][];
    bankRowLatency = new int[commandCount][];
    bankRowLevelStart = new int[commandCount][];
    windowOrSiblingRules = new int[commandCount][];
    for (int c = 0; c < commandCount; c++) {
      // [level][following] -> largest latency of a plain row, 0 for none (rows have latency > 0).
      int[][] plain = new int[ScopeTargets.LEVELS][commandCount];
      List<Integer> other = new ArrayList<>();
      for (int index : byPre.get(c)) {
        RuleSpec rule = rules[index];
        if (rule.window() > 1 || rule.sibling()) {
          other.add(index);
        } else {
          for (int f : rule.following()) {
            plain[rule.level()][f] = Math.max(plain[rule.level()][f], rule.latency());
          }
        }
      }
      List<int[]> rows = new ArrayList<>();
      for (int level = 0; level < ScopeTargets.LEVELS; level++) {
        for (int f = 0; f < commandCount; f++) {
          if (plain[level][f] > 0) {
            rows.add(new int[] {level, f, plain[level][f]});
          }
        }
      }
      bankRowFollowing[c] = rows.stream().mapToInt(r -> r[1]).toArray();
      bankRowLatency[c] = rows.stream().mapToInt(r -> r[2]).toArray();
      int[] start = new int[ScopeTargets.LEVELS + 1];
      for (int[] r : rows) { // rows are in level order
        start[r[0] + 1]++;
      }
      for (int level = 0; level < ScopeTargets.LEVELS; level++) {
        start[level + 1] += start[level];
      }
      bankRowLevelStart[c] = start;
      windowOrSiblingRules[c] = other.stream().mapToInt(Integer::intValue).toArray();
      List<int[]> whole = new ArrayList<>();
      for (int f = 0; f < commandCount; f++) {
        int lat = 0;
        for (int level = 0; level < ScopeTargets.LEVELS; level++) {
          lat = Math.max(lat, plain[level][f]);
        }
        if (wholeChannel[f] && lat > 0) {
          whole.add(new int[] {f, lat});
        }
      }
      wholeRowFollowing[c] = whole.stream().mapToInt(r -> r[0]).toArray();
      wholeRowLatency[c] = whole.stream().mapToInt(r -> r[1]).toArray();
    }
    bankRowIndex = new int[commandCount][][];
    for (int c = 0; c < commandCount; c++) {
      if (scopes[c] != Scope.BANK) {
        continue;
      }
      bankRowIndex[c] = new int[banks][bankRowFollowing[c].length];
      for (int fb = 0; fb < banks; fb++) {
        for (int level = 0; level < ScopeTargets.LEVELS; level++) {
          for (int k = bankRowLevelStart[c][level]; k < bankRowLevelStart[c][level + 1]; k++) {
            bankRowIndex[c][fb][k] = bankNodeBase[fb * ScopeTargets.LEVELS + level] + bankRowFollowing[c][k];
          }
        }
      }
    }
  }
}
