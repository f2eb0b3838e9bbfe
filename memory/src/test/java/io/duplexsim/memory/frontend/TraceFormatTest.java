package io.duplexsim.memory.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFormatTest {
  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private InputException fails(TraceFormat f, String name, String text) throws IOException {
    Path p = write(name, text);
    return assertThrows(InputException.class, () -> f.read(p));
  }

  @Test
  void ramulatorHexDecimalCommentsBlankLines() throws IOException {
    Path p = write("a.trace", "# header comment\n\nLD 0x1a2b\nst 4096\n  ld\t0XFF  \r\n   # indented comment\nST 0x0\n");
    RequestTrace t = TraceFormat.RAMULATOR.read(p);
    assertEquals(4, t.size());
    assertEquals(0x1a2b, t.address(0));
    assertEquals(RequestType.READ, t.type(0));
    assertEquals(4096, t.address(1));
    assertEquals(RequestType.WRITE, t.type(1));
    assertEquals(0xff, t.address(2));
    assertEquals(RequestType.READ, t.type(2));
    assertEquals(0, t.address(3));
    assertEquals(RequestType.WRITE, t.type(3));
    assertEquals(-1, t.issueCycle(0));
    assertFalse(t.timed());
    assertEquals("a.trace", t.name());
  }

  @Test
  void ramulatorLastLineWithoutNewlineAndLargeAddress() throws IOException {
    Path p = write("b.trace", "LD 0x7fffffffffffffff\nST 0xdeadbeef00");
    RequestTrace t = TraceFormat.RAMULATOR.read(p);
    assertEquals(2, t.size());
    assertEquals(Long.MAX_VALUE, t.address(0));
    assertEquals(0xdeadbeef00L, t.address(1));
  }

  @Test
  void dramsim3AllOperationSpellings() throws IOException {
    Path p = write("c.trace", "0x40 READ 0\n0x80 write 5\n# c\n128 P_MEM_RD 5\n0x100 P_MEM_WR 9\n0x140 rd 10\n0x180 WR 1000\n");
    RequestTrace t = TraceFormat.DRAMSIM3.read(p);
    assertEquals(6, t.size());
    RequestType[] types = {RequestType.READ, RequestType.WRITE, RequestType.READ, RequestType.WRITE,
        RequestType.READ, RequestType.WRITE};
    long[] addrs = {0x40, 0x80, 128, 0x100, 0x140, 0x180};
    long[] cycles = {0, 5, 5, 9, 10, 1000};
    for (int i = 0; i < 6; i++) {
      assertEquals(types[i], t.type(i), "type " + i);
      assertEquals(addrs[i], t.address(i), "address " + i);
      assertEquals(cycles[i], t.issueCycle(i), "cycle " + i);
    }
    assertTrue(t.timed());
  }

  @Test
  void ramulatorBadOperationNamesFileLineAndField() throws IOException {
    InputException e = fails(TraceFormat.RAMULATOR, "bad.trace", "LD 0x10\n\nXX 0x20\n");
    assertTrue(e.getMessage().contains("bad.trace:3:"), e.getMessage());
    assertTrue(e.getMessage().contains("operation"), e.getMessage());
    assertTrue(e.getMessage().contains("got 'XX'"), e.getMessage());
  }

  @Test
  void ramulatorBadAddress() throws IOException {
    InputException e = fails(TraceFormat.RAMULATOR, "addr.trace", "LD 0x10\nLD 0x1g\n");
    assertTrue(e.getMessage().startsWith(dir.resolve("addr.trace") + ":2: expected address"), e.getMessage());
    assertTrue(e.getMessage().contains("got '0x1g'"), e.getMessage());
    e = fails(TraceFormat.RAMULATOR, "neg.trace", "LD -5\n");
    assertTrue(e.getMessage().contains("neg.trace:1: expected address"), e.getMessage());
    e = fails(TraceFormat.RAMULATOR, "big.trace", "LD 0x8000000000000000\n");
    assertTrue(e.getMessage().contains("big.trace:1: expected address"), e.getMessage());
    e = fails(TraceFormat.RAMULATOR, "big2.trace", "LD 99999999999999999999\n");
    assertTrue(e.getMessage().contains("big2.trace:1: expected address"), e.getMessage());
  }

  @Test
  void ramulatorMissingAndExtraFields() throws IOException {
    InputException e = fails(TraceFormat.RAMULATOR, "short.trace", "LD\n");
    assertTrue(e.getMessage().contains("short.trace:1: expected address"), e.getMessage());
    assertTrue(e.getMessage().contains("end of line"), e.getMessage());
    e = fails(TraceFormat.RAMULATOR, "long.trace", "LD 0x10 7\n");
    assertTrue(e.getMessage().contains("long.trace:1:"), e.getMessage());
    assertTrue(e.getMessage().contains("'7'"), e.getMessage());
  }

  @Test
  void dramsim3BadFields() throws IOException {
    InputException e = fails(TraceFormat.DRAMSIM3, "d.trace", "0x10 READ 1\n0x20 FETCH 2\n");
    assertTrue(e.getMessage().contains("d.trace:2: expected operation"), e.getMessage());
    assertTrue(e.getMessage().contains("'FETCH'"), e.getMessage());
    e = fails(TraceFormat.DRAMSIM3, "d2.trace", "0x10 READ x1\n");
    assertTrue(e.getMessage().contains("d2.trace:1: expected issue cycle"), e.getMessage());
    assertTrue(e.getMessage().contains("'x1'"), e.getMessage());
    e = fails(TraceFormat.DRAMSIM3, "d3.trace", "0x10 READ\n");
    assertTrue(e.getMessage().contains("d3.trace:1: expected issue cycle"), e.getMessage());
    e = fails(TraceFormat.DRAMSIM3, "d4.trace", "READ 0x10 5\n");
    assertTrue(e.getMessage().contains("d4.trace:1: expected address"), e.getMessage());
  }

  @Test
  void dramsim3DecreasingCycleIsAnError() throws IOException {
    InputException e = fails(TraceFormat.DRAMSIM3, "dec.trace", "0x0 READ 10\n0x20 READ 10\n0x40 WRITE 9\n");
    assertTrue(e.getMessage().contains("dec.trace:3:"), e.getMessage());
    assertTrue(e.getMessage().contains("issue cycle"), e.getMessage());
    assertTrue(e.getMessage().contains("'9'"), e.getMessage());
  }

  @Test
  void missingFileAndDirectory() {
    Path missing = dir.resolve("nope.trace");
    InputException e = assertThrows(InputException.class, () -> TraceFormat.RAMULATOR.read(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
    e = assertThrows(InputException.class, () -> TraceFormat.DRAMSIM3.read(dir));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void emptyTraceIsAnError() throws IOException {
    InputException e = fails(TraceFormat.RAMULATOR, "empty.trace", "# nothing here\n\n   \n");
    assertTrue(e.getMessage().contains("empty.trace"), e.getMessage());
    assertTrue(e.getMessage().contains("no requests"), e.getMessage());
    e = fails(TraceFormat.DRAMSIM3, "zero.trace", "");
    assertTrue(e.getMessage().contains("no requests"), e.getMessage());
  }

  @Test
  void formatSpecAndNames() {
    TraceFormat.Spec s = TraceFormat.parse("dramsim3:foo.trace", "ramulator");
    assertEquals(TraceFormat.DRAMSIM3, s.format());
    assertEquals(Path.of("foo.trace"), s.path());
    s = TraceFormat.parse("foo.trace", "ramulator");
    assertEquals(TraceFormat.RAMULATOR, s.format());
    s = TraceFormat.parse("Ramulator:/tmp/x:y.trace", "dramsim3");
    assertEquals(TraceFormat.RAMULATOR, s.format());
    assertEquals(Path.of("/tmp/x:y.trace"), s.path());
    s = TraceFormat.parse("other:z.trace", "dramsim3");
    assertEquals(TraceFormat.DRAMSIM3, s.format());
    assertEquals(Path.of("other:z.trace"), s.path());
    assertEquals(TraceFormat.DRAMSIM3, TraceFormat.byName("DRAMsim3"));
    InputException e = assertThrows(InputException.class, () -> TraceFormat.byName("champsim"));
    assertTrue(e.getMessage().contains("champsim") && e.getMessage().contains("ramulator"), e.getMessage());
  }

  @Test
  void longLinesSpanningReadBuffers() throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("#").append("x".repeat(3_000_000)).append('\n'); // longer than the read buffer
    for (int i = 0; i < 200_000; i++) { // ~2.4 MB: lines straddle buffer refills
      sb.append(i % 3 == 0 ? "ST " : "LD ").append("0x").append(Long.toHexString(i * 64L)).append('\n');
    }
    RequestTrace t = TraceFormat.RAMULATOR.read(write("long.trace", sb.toString()));
    assertEquals(200_000, t.size());
    for (int i = 0; i < 200_000; i++) {
      assertEquals(i * 64L, t.address(i));
      assertEquals(i % 3 == 0 ? RequestType.WRITE : RequestType.READ, t.type(i));
    }
  }

  @Test
  void millionLinesParseQuickly() throws IOException {
    Path p = dir.resolve("big.trace");
    try (Writer w = Files.newBufferedWriter(p)) {
      for (int i = 0; i < 1_000_000; i++) {
        w.write(i + " " + ((i & 7) == 0 ? "WRITE" : "READ") + " " + (i / 4) + "\n");
      }
    }
    // Best of three in this thread's CPU time: the first run includes JIT warm-up, and wall time
    // on a shared, busy machine says more about the neighbours than about the parser.
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    boolean cpu = mx.isCurrentThreadCpuTimeSupported();
    RequestTrace t = null;
    double s = Double.MAX_VALUE;
    for (int k = 0; k < 3; k++) {
      long t0 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
      t = TraceFormat.DRAMSIM3.read(p);
      s = Math.min(s, ((cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e9);
    }
    assertEquals(1_000_000, t.size());
    assertEquals(999_999, t.address(999_999));
    assertEquals(999_999 / 4, t.issueCycle(999_999));
    assertTrue(s < 1.0, "1M lines took " + s + " s");
  }

  @Test
  void aWrittenTraceReadsBackAsTheSameRequestsInEitherFormat() {
    RequestTrace mix = SyntheticPattern.MIX.generate(500, 3, SyntheticPattern.PatternParams.defaults());
    Path loadStore = dir.resolve("mix.trace");
    TraceFormat.RAMULATOR.write(mix, loadStore);
    RequestTrace back = TraceFormat.RAMULATOR.read(loadStore);
    assertEquals(mix.size(), back.size());
    for (int i = 0; i < mix.size(); i++) {
      assertEquals(mix.address(i), back.address(i), "address " + i);
      assertEquals(mix.type(i), back.type(i), "type " + i);
    }
    RequestTrace timed = new RequestTrace("timed");
    timed.add(0x40, RequestType.READ, 0);
    timed.add(0x1000, RequestType.WRITE, 7);
    Path dramsim = dir.resolve("timed.trace");
    TraceFormat.DRAMSIM3.write(timed, dramsim);
    RequestTrace timedBack = TraceFormat.DRAMSIM3.read(dramsim);
    assertEquals(7, timedBack.issueCycle(1));
    assertEquals(RequestType.WRITE, timedBack.type(1));
    assertEquals(0x1000, timedBack.address(1));
  }

  @Test
  void aTraceTheFormatCannotHoldIsAnInputErrorAndLeavesNoFile() {
    RequestTrace bundles = SyntheticPattern.BUNDLE_STREAM.generate(10, 1, SyntheticPattern.PatternParams.defaults());
    Path p = dir.resolve("bundles.trace");
    InputException e = assertThrows(InputException.class, () -> TraceFormat.RAMULATOR.write(bundles, p));
    assertTrue(e.getMessage().contains("only reads and writes"), e.getMessage());
    RequestTrace untimed = SyntheticPattern.RANDOM.generate(10, 1, SyntheticPattern.PatternParams.defaults());
    Path q = dir.resolve("untimed.trace");
    e = assertThrows(InputException.class, () -> TraceFormat.DRAMSIM3.write(untimed, q));
    assertTrue(e.getMessage().contains("issue cycles"), e.getMessage());
    assertFalse(Files.exists(p) || Files.exists(q));
  }
}
