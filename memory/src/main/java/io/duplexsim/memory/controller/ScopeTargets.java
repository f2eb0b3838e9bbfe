package io.duplexsim.memory.controller;

import io.duplexsim.memory.standard.Level;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Scope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * For every scope and every bank of a pseudo-channel, the banks a command reaches and the timing
 * nodes it touches at each level (and their siblings), precomputed once so that issuing and
 * checking commands walks small int arrays.
 *
 * <p>Node numbering inside a pseudo-channel: level 0 is the pseudo-channel (node 0), level 1 the
 * ranks, level 2 the bank groups, level 3 the banks, each level's nodes following the previous
 * level's.
 */
public final class ScopeTargets {
  static final int LEVELS = 4;

  private final Organization org;
  private final int[] levelOffset = new int[LEVELS];
  private final int nodeCount;
  /** [scope][flatBank] -> target banks. */
  private final int[][][] banks;
  /** [scope][flatBank][level] -> target nodes. */
  private final int[][][][] nodes;
  /** [scope][flatBank][level] -> sibling nodes (same parent, not a target). */
  private final int[][][][] siblings;

  private static final java.util.concurrent.ConcurrentHashMap<Organization, ScopeTargets> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Shared per organisation: immutable once built. */
  static ScopeTargets of(Organization org) {
    return CACHE.computeIfAbsent(org, ScopeTargets::new);
  }

  private ScopeTargets(Organization org) {
    this.org = org;
    int r = org.ranks();
    int bg = org.bankGroups();
    int b = org.banks();
    levelOffset[0] = 0;
    levelOffset[1] = 1;
    levelOffset[2] = 1 + r;
    levelOffset[3] = 1 + r + r * bg;
    nodeCount = levelOffset[3] + r * bg * b;
    int flatBanks = org.banksPerPseudoChannel();
    Scope[] scopes = Scope.values();
    banks = new int[scopes.length][flatBanks][];
    nodes = new int[scopes.length][flatBanks][LEVELS][];
    siblings = new int[scopes.length][flatBanks][LEVELS][];
    for (Scope s : scopes) {
      for (int fb = 0; fb < flatBanks; fb++) {
        int[] targets = targetBanks(s, fb);
        banks[s.ordinal()][fb] = targets;
        for (int level = 0; level < LEVELS; level++) {
          Set<Integer> set = new LinkedHashSet<>();
          for (int t : targets) {
            set.add(nodeOf(level, t));
          }
          nodes[s.ordinal()][fb][level] = set.stream().mapToInt(Integer::intValue).toArray();
          Set<Integer> sib = new LinkedHashSet<>();
          for (int t : targets) {
            for (int other = 0; other < flatBanks; other++) {
              int n = nodeOf(level, other);
              if (level > 0 && parentOf(level, other) == parentOf(level, t) && !set.contains(n)) {
                sib.add(n);
              }
            }
          }
          siblings[s.ordinal()][fb][level] = sib.stream().mapToInt(Integer::intValue).toArray();
        }
      }
    }
  }

  private int[] targetBanks(Scope s, int fb) {
    int nb = org.banks();
    int ngroups = org.bankGroups();
    int bank = fb % nb;
    int group = (fb / nb) % ngroups;
    int rank = fb / (nb * ngroups);
    List<Integer> out = new ArrayList<>();
    switch (s) {
      case BANK -> out.add(fb);
      case SAME_BANK -> {
        for (int g = 0; g < ngroups; g++) {
          out.add(org.flatBank(rank, g, bank));
        }
      }
      case BUNDLE -> {
        int k = org.bundleBanksPerGroup();
        int first = (bank / k) * k;
        for (int g = 0; g < ngroups; g++) {
          for (int i = 0; i < k; i++) {
            out.add(org.flatBank(rank, g, first + i));
          }
        }
      }
      case RANK -> {
        for (int g = 0; g < ngroups; g++) {
          for (int i = 0; i < nb; i++) {
            out.add(org.flatBank(rank, g, i));
          }
        }
      }
      case PSEUDO_CHANNEL -> {
        for (int i = 0; i < org.banksPerPseudoChannel(); i++) {
          out.add(i);
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Node index (at {@code level}) that contains flat bank {@code fb}. */
  int nodeOf(int level, int fb) {
    int nb = org.banks();
    return switch (level) {
      case 0 -> 0;
      case 1 -> levelOffset[1] + fb / (nb * org.bankGroups());
      case 2 -> levelOffset[2] + fb / nb;
      default -> levelOffset[3] + fb;
    };
  }

  private int parentOf(int level, int fb) {
    return level == 0 ? -1 : nodeOf(level - 1, fb);
  }

  static int levelIndex(Level level) {
    return switch (level) {
      case PSEUDO_CHANNEL -> 0;
      case RANK -> 1;
      case BANK_GROUP -> 2;
      case BANK -> 3;
      default -> throw new IllegalArgumentException("no timing nodes at level " + level);
    };
  }

  int nodeCount() {
    return nodeCount;
  }

  int levelOffset(int level) {
    return levelOffset[level];
  }

  /** How many banks a command of scope {@code s} reaches (the same from every bank). */
  public static int banksReached(Organization org, Scope s) {
    return of(org).banks(s, 0).length;
  }

  int[] banks(Scope s, int flatBank) {
    return banks[s.ordinal()][flatBank];
  }

  int[] nodes(Scope s, int flatBank, int level) {
    return nodes[s.ordinal()][flatBank][level];
  }

  int[] siblings(Scope s, int flatBank, int level) {
    return siblings[s.ordinal()][flatBank][level];
  }
}
