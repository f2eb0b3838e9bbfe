package io.duplexsim.memory.check;

import io.duplexsim.memory.standard.CommandSpec;
import io.duplexsim.memory.standard.Level;
import io.duplexsim.memory.standard.Organization;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The protocol checker's view of where a command reaches: whether its rank / bank group / bank
 * arguments are in range for its scope, and its target nodes at each level of one pseudo-channel.
 * Written from the scope definitions, apart from the controller's own target tables, so that the
 * checker stays independent of what it checks.
 */
final class CommandTargets {
  /** The levels constraint rows may use, in the order of the checker's per-level arrays. */
  static final Level[] LEVELS = {Level.PSEUDO_CHANNEL, Level.RANK, Level.BANK_GROUP, Level.BANK};
  static final int BANK_LEVEL = 3;

  private final Organization org;
  /** Per level index: nodes per parent (1 for the pseudo-channel, ranks, bank groups, banks). */
  private final int[] fanOut = new int[LEVELS.length];
  /** Per level index: node count in one pseudo-channel. */
  private final int[] nodeCount = new int[LEVELS.length];
  /** Per command id and flat bank of the (normalised) address: target nodes per level index. */
  private final int[][][][] cache;

  CommandTargets(Organization org, int commands) {
    this.org = org;
    fanOut[0] = 1;
    fanOut[1] = org.ranks();
    fanOut[2] = org.bankGroups();
    fanOut[3] = org.banks();
    nodeCount[0] = 1;
    for (int l = 1; l < LEVELS.length; l++) {
      nodeCount[l] = nodeCount[l - 1] * fanOut[l];
    }
    cache = new int[commands][org.banksPerPseudoChannel()][][];
  }

  int fanOut(int level) {
    return fanOut[level];
  }

  int nodeCount(int level) {
    return nodeCount[level];
  }

  static int levelIndex(Level level) {
    for (int i = 0; i < LEVELS.length; i++) {
      if (LEVELS[i] == level) {
        return i;
      }
    }
    throw new IllegalArgumentException("constraint level " + level + " is not checked per pseudo-channel");
  }

  /** What is wrong with the address arguments the command's scope uses, or null. */
  String addressProblem(CommandSpec spec, int rank, int bankGroup, int bank) {
    switch (spec.scope()) {
      case PSEUDO_CHANNEL:
        return null;
      case BANK:
        if (bankGroup < 0 || bankGroup >= org.bankGroups()) {
          return "bank group out of range [0, " + org.bankGroups() + ")";
        }
        // fall through: rank and bank checked below
      case SAME_BANK:
      case BUNDLE:
        if (bank < 0 || bank >= org.banks()) {
          return "bank out of range [0, " + org.banks() + ")";
        }
        // fall through
      case RANK:
      default:
        if (rank < 0 || rank >= org.ranks()) {
          return "rank out of range [0, " + org.ranks() + ")";
        }
        return null;
    }
  }

  /** Target nodes per level index (distinct, ascending) of a command with a valid address. */
  int[][] of(CommandSpec spec, int rank, int bankGroup, int bank) {
    // Normalise the arguments the scope ignores so equal target sets share one cache entry.
    int r = rank;
    int g = bankGroup;
    int b = bank;
    switch (spec.scope()) {
      case PSEUDO_CHANNEL -> {
        r = 0;
        g = 0;
        b = 0;
      }
      case RANK -> {
        g = 0;
        b = 0;
      }
      case SAME_BANK -> g = 0;
      case BUNDLE -> {
        g = 0;
        b = (b / org.bundleBanksPerGroup()) * org.bundleBanksPerGroup();
      }
      default -> { }
    }
    int key = org.flatBank(r, g, b);
    int[][] cached = cache[spec.id()][key];
    if (cached == null) {
      cached = compute(spec, r, g, b);
      cache[spec.id()][key] = cached;
    }
    return cached;
  }

  private int[][] compute(CommandSpec spec, int rank, int bankGroup, int bank) {
    List<Integer> banks = new ArrayList<>();
    int k = org.bundleBanksPerGroup();
    for (int r = 0; r < org.ranks(); r++) {
      for (int g = 0; g < org.bankGroups(); g++) {
        for (int b = 0; b < org.banks(); b++) {
          boolean hit = switch (spec.scope()) {
            case BANK -> r == rank && g == bankGroup && b == bank;
            case SAME_BANK -> r == rank && b == bank;
            case BUNDLE -> r == rank && b / k == bank / k;
            case RANK -> r == rank;
            case PSEUDO_CHANNEL -> true;
          };
          if (hit) {
            banks.add(org.flatBank(r, g, b));
          }
        }
      }
    }
    int[][] out = new int[LEVELS.length][];
    for (int l = 0; l < LEVELS.length; l++) {
      // A bank's ancestor at level l: divide its flat index by the node count below level l.
      int below = nodeCount[BANK_LEVEL] / nodeCount[l];
      TreeSet<Integer> nodes = new TreeSet<>();
      for (int flat : banks) {
        nodes.add(flat / below);
      }
      out[l] = nodes.stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }
}
