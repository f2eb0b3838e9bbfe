package io.duplexsim.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.DramStandard;
import io.duplexsim.memory.standard.Standards;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commands a controller issues for small request scripts, cycle by cycle. */
class ControllerSequenceTest {
  private final DramStandard std = Standards.load("HBM3-5.2");
  private final int pcs = std.org().pseudoChannelsPerStack();

  /** Byte address in pseudo-channel 0 under the default mapping RoRaBaCoBgCh. */
  private long address(int rank, int bankGroup, int bank, int row, int column) {
    long a = row;
    a = a * std.org().ranks() + rank;
    a = a * std.org().banks() + bank;
    a = a * std.org().columns() + column;
    a = a * std.org().bankGroups() + bankGroup;
    a = a * pcs;
    return a * 32;
  }

  private List<String> run(RequestTrace t, String pagePolicy, String refresh) {
    List<String> log = new ArrayList<>();
    MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").pagePolicy(pagePolicy).refresh(refresh).check(true).build(), t,
        (c, pc, cmd, r, g, b, row, col) -> {
          if (pc == 0) {
            log.add(c + " " + std.command(cmd).name()
            + (std.command(cmd).scope() == io.duplexsim.memory.standard.Scope.PSEUDO_CHANNEL ? "" : " " + r + "." + g + "." + b)
            + (row >= 0 ? " row " + row : "") + (col >= 0 ? " col " + col : ""));
          }
        });
    return log;
  }

  private List<String> runCapped(RequestTrace t, int rowHitCap) {
    List<String> log = new ArrayList<>();
    MemorySimulation.run(MemoryConfig.builder("HBM3-5.2").refresh("none").rowHitCap(rowHitCap).check(true).build(), t,
        (c, pc, cmd, r, g, b, row, col) -> {
          if (pc == 0) {
            log.add(c + " " + std.command(cmd).name() + (row >= 0 ? " row " + row : ""));
          }
        });
    return log;
  }

  /** A read opening row 1 of bank 0.0.0, an older read of row 2 there, then {@code hits} more reads of row 1. */
  private RequestTrace hitsBehindAConflict(int hits) {
    RequestTrace tr = new RequestTrace("hits behind a conflict");
    tr.add(address(0, 0, 0, 1, 0), RequestType.READ, 0);
    tr.add(address(0, 0, 0, 2, 0), RequestType.READ, 0);
    for (int i = 1; i <= hits; i++) {
      tr.add(address(0, 0, 0, 1, i), RequestType.READ, 0);
    }
    return tr;
  }

  private static long readsOfRowBeforeFirstPre(List<String> log, int row) {
    int pre = log.indexOf(log.stream().filter(l -> l.contains(" PRE")).findFirst().orElseThrow());
    return log.subList(0, pre).stream().filter(l -> l.contains(" RD row " + row)).count();
  }

  @Test
  void rowHitsStarveAnOlderConflictWithoutACap() {
    // RD-to-PRE (nRTPL) is longer than RD-to-RD in a bank group (nCCDL): each hit pushes the PRE again.
    assertTrue(t("nRTPL") > t("nCCDL"));
    List<String> log = runCapped(hitsBehindAConflict(20), 0);
    assertEquals(21, readsOfRowBeforeFirstPre(log, 1));
  }

  @Test
  void rowHitCapLetsTheConflictPrechargeAfterCapHits() {
    List<String> log = runCapped(hitsBehindAConflict(20), 4);
    assertEquals(4, readsOfRowBeforeFirstPre(log, 1));
    // The row-2 read is served next, then row 1 reopens for the rest.
    List<String> rows = log.stream().filter(l -> l.contains(" ACT") || l.contains(" RD")).map(l -> l.substring(l.indexOf(' ') + 1))
        .toList();
    assertEquals(List.of("ACT row 1", "RD row 1", "RD row 1", "RD row 1", "RD row 1", "ACT row 2", "RD row 2", "ACT row 1"),
        rows.subList(0, 8));
    assertEquals(21, log.stream().filter(l -> l.contains(" RD row 1")).count());
    // The PRE comes as soon as tRAS after the ACT and tRTP after the fourth read allow.
    int rcd = t("nRCDRD");
    long pre = Math.max(t("nRAS"), rcd + 3L * t("nCCDL") + t("nRTPL"));
    assertEquals(pre + " PRE", log.stream().filter(l -> l.contains(" PRE")).findFirst().orElseThrow());
  }

  @Test
  void rowHitCapHoldsNothingWithoutAWaitingConflict() {
    RequestTrace tr = new RequestTrace("hits only");
    for (int i = 0; i < 20; i++) {
      tr.add(address(0, 0, 0, 1, i), RequestType.READ, 0);
    }
    assertEquals(runCapped(tr, 0), runCapped(tr, 2));
  }

  private int t(String name) {
    return std.timing(name);
  }

  @Test
  void rowMissThenHitsReuseTheOpenRow() {
    RequestTrace tr = new RequestTrace("hits");
    tr.add(address(0, 1, 2, 7, 0), RequestType.READ, 0);
    tr.add(address(0, 1, 2, 7, 1), RequestType.READ, 0);
    tr.add(address(0, 1, 2, 7, 2), RequestType.READ, 0);
    int rcd = t("nRCDRD");
    int ccdl = t("nCCDL");
    assertEquals(List.of(
        "0 ACT 0.1.2 row 7",
        rcd + " RD 0.1.2 row 7 col 0",
        (rcd + ccdl) + " RD 0.1.2 row 7 col 1",
        (rcd + 2 * ccdl) + " RD 0.1.2 row 7 col 2"), run(tr, "open", "none"));
  }

  @Test
  void conflictPrechargesAfterRasAndReactivatesAfterRp() {
    RequestTrace tr = new RequestTrace("conflict");
    tr.add(address(0, 0, 0, 1, 0), RequestType.READ, 0);
    tr.add(address(0, 0, 0, 2, 0), RequestType.READ, 0);
    int rcd = t("nRCDRD");
    int pre = Math.max(t("nRAS"), rcd + t("nRTPL"));
    assertEquals(List.of(
        "0 ACT 0.0.0 row 1",
        rcd + " RD 0.0.0 row 1 col 0",
        pre + " PRE 0.0.0",
        (pre + t("nRP")) + " ACT 0.0.0 row 2",
        (pre + t("nRP") + rcd) + " RD 0.0.0 row 2 col 0"), run(tr, "open", "none"));
  }

  @Test
  void closedPageUsesAutoPrechargeWhenNoHitIsQueued() {
    RequestTrace tr = new RequestTrace("closed");
    tr.add(address(0, 0, 0, 1, 0), RequestType.READ, 0);
    tr.add(address(0, 0, 0, 1, 1), RequestType.READ, 0);
    int rcd = t("nRCDRD");
    assertEquals(List.of(
        "0 ACT 0.0.0 row 1",
        rcd + " RD 0.0.0 row 1 col 0",
        (rcd + t("nCCDL")) + " RDA 0.0.0 row 1 col 1"), run(tr, "closed", "none"));
  }

  @Test
  void allBankRefreshClosesRowsThenRefreshesEveryTrefi() {
    RequestTrace tr = new RequestTrace("refresh");
    tr.add(address(0, 0, 0, 3, 0), RequestType.READ, 0);
    // A late request keeps the run going past the first refresh.
    long late = t("nREFI") + 2000L;
    tr.add(address(0, 0, 0, 3, 1), RequestType.READ, late);
    List<String> log = run(tr, "open", "all-bank");
    int refi = t("nREFI");
    assertEquals("0 ACT 0.0.0 row 3", log.get(0));
    assertEquals(refi + " PREA", log.get(2));
    assertEquals((refi + t("nRP")) + " REFab", log.get(3));
    // The row was closed by refresh: the late read needs a new activation.
    assertEquals(late + " ACT 0.0.0 row 3", log.get(4));
  }

  @Test
  void writesDrainOnlyAfterTheHighWatermarkWhileReadsWait() {
    RequestTrace tr = new RequestTrace("drain");
    // 26 writes (>= 0.8 x 32) to open rows, then a read: writes go first, the read waits.
    addWritesToTheHighWatermark(tr);
    tr.add(address(1, 0, 0, 0, 0), RequestType.READ, 0);
    List<String> log = run(tr, "open", "none");
    int firstRead = -1;
    int lastWrite = -1;
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).contains(" RD ")) {
        firstRead = i;
      }
      if (log.get(i).contains(" WR ")) {
        lastWrite = i;
      }
    }
    // Writes drain down to the low watermark (0.2 x 32 = 6 left) before the read is served.
    long writesBeforeRead = log.subList(0, firstRead).stream().filter(s -> s.contains(" WR ")).count();
    assertEquals(26 - (int) Math.floor(0.2 * 32), writesBeforeRead);
    assertEquals(true, lastWrite > firstRead);
  }

  @Test
  void aNearMemoryUnitsReadsAreServedWhileTheXpuDrainsItsWrites() {
    RequestTrace tr = new RequestTrace("drain beside bundle reads");
    // The xPU at its high watermark drains writes in rank 0; Logic-PIM starts reading a bundle in rank 1.
    addWritesToTheHighWatermark(tr);
    tr.add(address(0, 0, 1, 0, 0), RequestType.READ, 0);
    for (int i = 0; i < 2; i++) {
      tr.add(address(1, 0, 0, 5, i), RequestType.BUNDLE_READ, 30);
    }
    List<String> log = run(tr, "open", "none");
    int writes = 0;
    int writesBeforeXpuRead = -1;
    long bundleOpened = -1;
    long bundleRead = -1;
    for (String line : log) {
      long cycle = cycleOf(line);
      if (line.contains(" ALL-ACT ")) {
        bundleOpened = cycle;
      } else if (line.contains(" ALL-RD ") && bundleRead < 0) {
        bundleRead = cycle;
      } else if (line.contains(" RD ") && writesBeforeXpuRead < 0) {
        writesBeforeXpuRead = writes;
      } else if (line.contains(" WR ")) {
        writes++;
      }
    }
    // Each requester drains its own writes: the xPU's read waits for its drain to the low watermark;
    // Logic-PIM's read goes as soon as its bundle is open (one column-bus slot after tRCD: a WR has it),
    // in the middle of the drain. One write mode per channel held it until the drain ended, and a
    // turnaround across the two data paths for the whole pseudo-channel after every write.
    assertEquals(26 - (int) Math.floor(0.2 * 32), writesBeforeXpuRead);
    assertTrue(bundleOpened >= 0 && bundleRead <= bundleOpened + t("nRCDRD") + 1,
        "bundle opened at " + bundleOpened + ", read at " + bundleRead + ": " + log);
  }

  @Test
  void acrossRequestersTheOlderReadyRequestTakesTheColumnBusFirst() {
    for (boolean bundleFirst : new boolean[] {true, false}) {
      RequestTrace tr = new RequestTrace("two requesters' row hits");
      // Open a row for each requester (the xPU's in rank 0, a bundle in rank 1), then queue one row hit
      // each in the same cycle, in either order: the older one issues first.
      tr.add(address(0, 1, 0, 3, 0), RequestType.READ, 0);
      tr.add(address(1, 0, 0, 5, 0), RequestType.BUNDLE_READ, 0);
      long xpu = address(0, 1, 0, 3, 1);
      long bundle = address(1, 0, 0, 5, 0); // the same bundle row again (its column bits map elsewhere)
      tr.add(bundleFirst ? bundle : xpu, bundleFirst ? RequestType.BUNDLE_READ : RequestType.READ, 200);
      tr.add(bundleFirst ? xpu : bundle, bundleFirst ? RequestType.READ : RequestType.BUNDLE_READ, 200);
      List<String> late = run(tr, "open", "none").stream()
          .filter(line -> cycleOf(line) >= 200).toList();
      assertEquals(2, late.size(), late.toString());
      assertTrue(late.get(0).contains(bundleFirst ? " ALL-RD " : " RD "), late.toString());
      assertTrue(late.get(0).startsWith("200 "), late.toString());
    }
  }

  /** 26 xPU writes to rank 0's open rows at cycle 0: at the high watermark (0.8 x 32 entries). */
  private void addWritesToTheHighWatermark(RequestTrace tr) {
    for (int i = 0; i < 26; i++) {
      tr.add(address(0, i % 4, 0, 0, i / 4), RequestType.WRITE, 0);
    }
  }

  /** The cycle a command log line starts with. */
  private static long cycleOf(String line) {
    return Long.parseLong(line.substring(0, line.indexOf(' ')));
  }
}
