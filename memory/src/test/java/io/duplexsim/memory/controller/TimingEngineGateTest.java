package io.duplexsim.memory.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Standards;
import io.duplexsim.memory.standard.TimingConstraint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-command gates, asserted tight for every constraint row of every HBM preset: after the
 * preceding command, the following one is illegal one cycle before the latency expires and legal
 * on that cycle. The oracle takes the maximum latency over the rows that bind the pair at the
 * chosen addresses, computed from the row data, not from the engine.
 */
class TimingEngineGateTest {
  private static final long T0 = 1000;

  /** Where the following command goes relative to the preceding one. */
  enum Placement { SAME_BANK, OTHER_BANK_SAME_GROUP, OTHER_GROUP_SAME_RANK, OTHER_RANK }

  static List<String> standards() {
    return Standards.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("standards")
  void followingCommandIsIllegalOneCycleEarlyAndLegalOnTheCycle(String name) {
    DramStandard std = Standards.load(name);
    Organization org = std.org();
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (TimingConstraint row : std.constraints()) {
      if (row.latency() <= 0 || row.window() > 1) {
        continue;
      }
      for (int p : row.preceding()) {
        for (int f : row.following()) {
          for (Placement placement : Placement.values()) {
            if (placement == Placement.OTHER_RANK && org.ranks() == 1) {
              continue;
            }
            int pBank = org.flatBank(0, 0, 0);
            int fBank = switch (placement) {
              case SAME_BANK -> pBank;
              case OTHER_BANK_SAME_GROUP -> org.flatBank(0, 0, org.banks() - 1);
              case OTHER_GROUP_SAME_RANK -> org.flatBank(0, org.bankGroups() - 1, 0);
              case OTHER_RANK -> org.flatBank(org.ranks() - 1, 0, 0);
            };
            TimingEngine engine = new TimingEngine(std);
            engine.issue(p, pBank, 0, T0);
            long latency = expectedLatency(std, engine, p, pBank, f, fBank);
            // Legal exactly on T0 + latency, illegal one cycle before; unconstrained pairs at 0.
            long expected = latency < 0 ? 0 : T0 + latency;
            long earliest = engine.earliest(f, fBank);
            checked++;
            if (earliest != expected) {
              failures.add(row + ": " + std.command(p) + "@" + pBank + " -> " + std.command(f) + "@" + fBank + " ("
                  + placement + ") earliest " + earliest + ", expected " + expected);
            }
          }
        }
      }
    }
    assertTrue(checked > 500, "pairs checked: " + checked);
    assertEquals(List.of(), failures);
  }

  /** Largest latency among rows whose preceding has p, following has f, and whose nodes overlap. */
  private static long expectedLatency(DramStandard std, TimingEngine engine, int p, int pBank, int f, int fBank) {
    Organization org = std.org();
    long best = Long.MIN_VALUE;
    int[] pTargets = engine.targetBanks(p, pBank);
    int[] fTargets = engine.targetBanks(f, fBank);
    for (TimingConstraint row : std.constraints()) {
      if (row.window() > 1 || !contains(row.preceding(), p) || !contains(row.following(), f)) {
        continue;
      }
      boolean overlap = false;
      for (int a : pTargets) {
        for (int b : fTargets) {
          overlap |= sameNode(org, row, a, b);
        }
      }
      if (overlap) {
        best = Math.max(best, row.latency());
      }
    }
    return best == Long.MIN_VALUE ? -1 : best;
  }

  private static boolean sameNode(Organization org, TimingConstraint row, int a, int b) {
    int perRank = org.banksPerRank();
    return switch (row.level()) {
      case PSEUDO_CHANNEL -> true;
      case RANK -> a / perRank == b / perRank;
      case BANK_GROUP -> a / org.banks() == b / org.banks();
      case BANK -> a == b;
      default -> false;
    };
  }

  private static boolean contains(int[] xs, int x) {
    for (int v : xs) {
      if (v == x) {
        return true;
      }
    }
    return false;
  }
}
