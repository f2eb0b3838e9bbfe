package io.duplexsim.memory.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Standards;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pseudo-channels share their standard's {@link TimingLayout}: an engine on a shared layout keeps its own
 * timing and window history, and answers exactly as an engine that derived everything itself.
 */
class TimingLayoutTest {
  static List<String> standards() {
    return Standards.names();
  }

  @ParameterizedTest
  @MethodSource("standards")
  void enginesOnASharedLayoutKeepTheirOwnWindowHistory(String name) {
    DramStandard std = Standards.load(name);
    TimingLayout layout = TimingLayout.of(std);
    TimingEngine busy = new TimingEngine(std, layout);
    TimingEngine other = new TimingEngine(std, layout);
    TimingEngine own = new TimingEngine(std);
    int act = std.commandId("ACT");
    activate(busy, std, act, 4); // fills busy's tFAW window
    // two activations elsewhere: with busy's history in their window, a third would wait for tFAW
    activate(other, std, act, 2);
    activate(own, std, act, 2);
    int third = bank(std.org(), 2);
    assertEquals(own.earliest(act, third), other.earliest(act, third));
  }

  /** {@code n} activations to banks 0..n-1 of {@link #bank}'s order, each at its earliest cycle. */
  private static void activate(TimingEngine e, DramStandard std, int act, int n) {
    for (int i = 0; i < n; i++) {
      int bank = bank(std.org(), i);
      e.issue(act, bank, 1, e.earliest(act, bank));
    }
  }

  /** The i-th bank across bank groups first (as tRRD_S allows activations fastest). */
  private static int bank(Organization org, int i) {
    return org.flatBank(0, i % org.bankGroups(), (i / org.bankGroups()) % org.banks());
  }

  @ParameterizedTest
  @MethodSource("standards")
  void anEngineOnASharedLayoutAnswersAsOneWithItsOwn(String name) {
    DramStandard std = Standards.load(name);
    TimingLayout layout = TimingLayout.of(std);
    new TimingEngine(std, layout); // another engine on the layout first: nothing of it may carry over
    TimingEngine shared = new TimingEngine(std, layout);
    TimingEngine own = new TimingEngine(std);
    int banks = std.org().banksPerPseudoChannel();
    int commands = std.commands().size();
    SplittableRandom random = new SplittableRandom(7);
    long cycle = 0;
    for (int step = 0; step < 2_000; step++) {
      int command = random.nextInt(commands);
      int bank = random.nextInt(banks);
      for (int c = 0; c < commands; c++) {
        for (int b = 0; b < banks; b += 3) {
          assertEquals(own.earliest(c, b), shared.earliest(c, b), "command " + c + " at bank " + b + ", step " + step);
        }
      }
      // issue whatever was drawn at its earliest cycle (legality aside: both engines take the same stream)
      cycle = Math.max(cycle, own.earliest(command, bank));
      int row = random.nextInt(4);
      own.issue(command, bank, row, cycle);
      shared.issue(command, bank, row, cycle);
    }
  }

  @ParameterizedTest
  @MethodSource("standards")
  void aLayoutForSomeCommandsAnswersForThemAsTheWholeLayout(String name) {
    DramStandard std = Standards.load(name);
    int commands = std.commands().size();
    for (Set<RequestType> types : List.of(EnumSet.of(RequestType.READ, RequestType.WRITE),
        EnumSet.of(RequestType.BUNDLE_READ))) {
      boolean[] may = PseudoChannelController.commandsFor(std, types, RefreshMode.PER_BANK);
      TimingEngine some = new TimingEngine(std, TimingLayout.of(std, may));
      TimingEngine all = new TimingEngine(std);
      int[] kept = IntStream.range(0, commands).filter(c -> may[c]).toArray();
      assertEquals(true, kept.length < commands, "a run of " + types + " leaves some command out");
      int banks = std.org().banksPerPseudoChannel();
      SplittableRandom random = new SplittableRandom(11);
      long cycle = 0;
      for (int step = 0; step < 2_000; step++) {
        for (int c : kept) {
          for (int b = 0; b < banks; b += 3) {
            assertEquals(all.earliest(c, b), some.earliest(c, b), "command " + c + " at bank " + b + ", step " + step);
          }
        }
        int command = kept[random.nextInt(kept.length)];
        int bank = random.nextInt(banks);
        cycle = Math.max(cycle, all.earliest(command, bank));
        int row = random.nextInt(4);
        all.issue(command, bank, row, cycle);
        some.issue(command, bank, row, cycle);
      }
      int left = IntStream.range(0, commands).filter(c -> !may[c]).findFirst().getAsInt();
      assertThrows(AssertionError.class, () -> some.earliest(left, 0), "asked about a command it keeps no timing of");
    }
  }

  @Test
  void aLayoutServesOnlyTheStandardItWasDerivedFrom() {
    // the same organisation and commands at another data rate: other latencies in the folded rows
    DramStandard slow = Standards.load("HBM3-5.2");
    DramStandard fast = Standards.load("HBM3-6.4");
    assertThrows(IllegalArgumentException.class, () -> new TimingEngine(fast, TimingLayout.of(slow)));
  }
}
