package io.duplexsim.memory.controller;

import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import java.util.Arrays;

/**
 * When a pseudo-channel owes a refresh and to which banks. Refreshes fall due every tREFI (all-bank),
 * tREFI / banks (per-bank, round-robin over banks) or tREFI / (ranks x banks) (same-bank,
 * round-robin over bank indices); owed ones accumulate until the controller issues them.
 */
final class RefreshScheduler {
  private final RefreshMode mode;
  private final int command;
  private final long interval;
  private final Organization org;
  private final TimingEngine engine;
  private final boolean[] targeted;
  private long nextDue;
  private int pending;
  private int issued;

  RefreshScheduler(RefreshMode mode, DramStandard standard, TimingEngine engine) {
    this.mode = mode;
    this.org = standard.org();
    this.engine = engine;
    int nREFI = standard.timing("nREFI");
    interval = switch (mode) {
      case ALL_BANK -> nREFI;
      case PER_BANK -> Math.max(1, nREFI / org.banksPerPseudoChannel());
      case SAME_BANK -> Math.max(1, nREFI / (org.ranks() * org.banks()));
      case NONE -> 0;
    };
    command = mode == RefreshMode.NONE ? -1 : standard.commandId(mode.command());
    nextDue = mode == RefreshMode.NONE ? Long.MAX_VALUE : interval;
    targeted = new boolean[org.banksPerPseudoChannel()];
  }

  /** Counts the refreshes that have fallen due by {@code now} and marks the next one's banks. */
  void advanceTo(long now) {
    while (now >= nextDue) {
      pending++;
      nextDue += interval;
    }
    if (pending > 0) {
      for (int b : engine.targetBanks(command, targetBank())) {
        targeted[b] = true;
      }
    }
  }

  /** Refreshes owed now. */
  int pending() {
    return pending;
  }

  long nextDue() {
    return nextDue;
  }

  /** The refresh command of this mode (-1 for none). */
  int command() {
    return command;
  }

  boolean blocksWholeChannel() {
    return mode == RefreshMode.ALL_BANK;
  }

  /** The bank the next refresh command addresses (its scope widens it). */
  int targetBank() {
    return switch (mode) {
      case PER_BANK -> issued % org.banksPerPseudoChannel();
      case SAME_BANK -> {
        int i = issued % (org.ranks() * org.banks());
        yield org.flatBank(i / org.banks(), 0, i % org.banks());
      }
      default -> 0;
    };
  }

  /** Is bank {@code b} among the banks of the owed refresh? */
  boolean targets(int b) {
    return pending > 0 && targeted[b];
  }

  /** Does a command of {@code command}'s scope at {@code fb} reach a bank the owed refresh needs? */
  boolean touches(int command, int fb) {
    if (pending == 0) {
      return false;
    }
    for (int b : engine.targetBanks(command, fb)) {
      if (targeted[b]) {
        return true;
      }
    }
    return false;
  }

  /** The refresh command issued: one fewer owed, move to the next banks. */
  void onIssued() {
    pending--;
    issued++;
    Arrays.fill(targeted, false);
  }
}
