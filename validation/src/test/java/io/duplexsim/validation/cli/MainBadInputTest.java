package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through {@link Main#run}: every case must exit 2 with exactly one
 * {@code duplexsim: error:} line and no stack trace. All of these are detected before the
 * simulation starts.
 */
class MainBadInputTest {
  @TempDir
  Path dir;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs, checks the bad-input contract and returns the error message (after the prefix). */
  static String badInput(String... args) {
    Run r = run(args);
    assertEquals(2, r.status(), () -> "status for " + String.join(" ", args) + "\nerr: " + r.err());
    long errorLines = r.err().lines().filter(l -> l.startsWith("duplexsim: error: ")).count();
    assertEquals(1, errorLines, () -> "error lines in: " + r.err());
    assertFalse(r.err().contains("at io."), () -> "stack trace in: " + r.err());
    assertFalse(r.err().contains("Exception"), () -> "exception name in: " + r.err());
    assertTrue(r.err().startsWith("duplexsim: error: "), r.err());
    assertEquals("", r.out(), "nothing on standard output");
    return r.err().lines().findFirst().orElseThrow().substring("duplexsim: error: ".length());
  }

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  static void mentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "'" + message + "' should mention '" + p + "'");
    }
  }

  @Test
  void unknownStandard() {
    String m = badInput("memory", "--standard", "HBM9-1.0", "--pattern", "stream");
    mentions(m, "HBM9-1.0", "HBM3-5.2");
  }

  @Test
  void unknownConfigKeyNamesFileAndKey() throws IOException {
    Path cfg = file("bad-key.yaml", "standard: HBM3-5.2\npattern: stream\nbanana: 3\n");
    String m = badInput("memory", "--config", cfg.toString());
    mentions(m, cfg.toString(), "unknown key 'banana'", "page-policy");
  }

  @Test
  void wronglyTypedConfigValueNamesKey() throws IOException {
    Path cfg = file("typed.yaml", "pattern: stream\nstacks: two\n");
    mentions(badInput("memory", "--config", cfg.toString()), cfg.toString(), "stacks", "'two'");
    Path cfg2 = file("typed2.yaml", "pattern: stream\ncheck: maybe\n");
    mentions(badInput("memory", "--config", cfg2.toString()), "check", "true or false");
    Path cfg3 = file("typed3.yaml", "pattern: stream\ntiming: 5\n");
    mentions(badInput("memory", "--config", cfg3.toString()), "timing", "mapping");
  }

  @Test
  void configNotYamlOrMissing() throws IOException {
    Path cfg = file("broken.yaml", "pattern: [stream\n");
    mentions(badInput("memory", "--config", cfg.toString()), cfg.toString(), "YAML");
    Path list = file("list.yaml", "- a\n- b\n");
    mentions(badInput("memory", "--config", list.toString()), "mapping");
    Path missing = dir.resolve("nope.yaml");
    mentions(badInput("memory", "--config", missing.toString()), missing.toString(), "not found");
    Path json = file("bad.json", "{\"pattern\": \"stream\", \"stride\": \"8 bananas\"}");
    mentions(badInput("memory", "--config", json.toString()), json.toString(), "stride", "8 bananas");
  }

  @Test
  void malformedTraceLineNamesFileAndLine() throws IOException {
    Path t = file("bad.trace", "LD 0x40\nST 0x80\nLD 0xZZ\n");
    String m = badInput("memory", "--trace", t.toString());
    mentions(m, t + ":3:", "address", "'0xZZ'");
    String m2 = badInput("memory", "--trace", t.toString(), "--trace-format", "dramsim3");
    mentions(m2, t + ":1:");
    String m3 = badInput("memory", "--trace", "dramsim3:" + t);
    mentions(m3, t + ":1:");
  }

  @Test
  void relativeTraceInConfigResolvesAgainstConfigFolder() throws IOException {
    Files.createDirectories(dir.resolve("sub"));
    file("sub/rel.trace", "LD 0x0\nXX 0x0\n");
    Path cfg = file("sub/rel.yaml", "trace: rel.trace\n");
    mentions(badInput("memory", "--config", cfg.toString()), "rel.trace:2:", "operation");
  }

  @Test
  void missingTraceFile() {
    Path t = dir.resolve("missing.trace");
    mentions(badInput("memory", "--trace", t.toString()), t.toString(), "not found");
  }

  @Test
  void emptyTraceAndUnknownFormat() throws IOException {
    Path t = file("empty.trace", "# nothing\n");
    mentions(badInput("memory", "--trace", t.toString()), "no requests");
    mentions(badInput("memory", "--trace", t.toString(), "--trace-format", "champsim"), "champsim", "dramsim3");
  }

  @Test
  void zeroBanksViaConfig() throws IOException {
    Path cfg = file("banks.yaml", "pattern: stream\norg: {banks: 0}\n");
    mentions(badInput("memory", "--config", cfg.toString()), "org.banks");
    mentions(badInput("memory", "--pattern", "stream", "--org", "banks=0"), "org.banks");
    Path cfg2 = file("orgkey.yaml", "pattern: stream\norg: {bankz: 4}\n");
    mentions(badInput("memory", "--config", cfg2.toString()), "org.bankz");
  }

  @Test
  void negativeTimingViaConfig() throws IOException {
    Path cfg = file("neg.yaml", "pattern: stream\ntiming: {nRCDRD: -3}\n");
    mentions(badInput("memory", "--config", cfg.toString()), "nRCDRD", "-3");
    Path cfg2 = file("unknown-timing.yaml", "pattern: stream\ntiming: {nBOGUS: 3}\n");
    mentions(badInput("memory", "--config", cfg2.toString()), "nBOGUS");
  }

  @Test
  void nonNumericTimingViaConfig() throws IOException {
    Path cfg = file("abc.yaml", "pattern: stream\ntiming: {nRCDRD: abc}\n");
    mentions(badInput("memory", "--config", cfg.toString()), cfg.toString(), "timing.nRCDRD", "'abc'");
    mentions(badInput("memory", "--pattern", "stream", "--timing", "nRCDRD=abc"), "nRCDRD", "'abc'");
  }

  @Test
  void badEnergyOverrides() throws IOException {
    Path cfg = file("energy.yaml", "pattern: stream\nenergy: {actPj: -1}\n");
    mentions(badInput("memory", "--config", cfg.toString()), "energy.actPj", "-1");
    Path cfg2 = file("energy2.yaml", "pattern: stream\nenergy: {eBOGUS: 1}\n");
    mentions(badInput("memory", "--config", cfg2.toString()), "energy.eBOGUS");
  }

  @Test
  void negativeRowHitCapNamesTheCap() throws IOException {
    mentions(badInput("memory", "--pattern", "stream", "--row-hit-cap", "-1"), "row-hit-cap", "-1");
    Path cfg = file("cap.yaml", "pattern: stream\nrow-hit-cap: many\n");
    mentions(badInput("memory", "--config", cfg.toString()), cfg.toString(), "row-hit-cap", "'many'");
  }

  @Test
  void epochCyclesMustBePositive() throws IOException {
    mentions(badInput("memory", "--pattern", "stream", "--epoch-cycles", "0"), "epoch-cycles", "0");
    Path cfg = file("epochs.yaml", "pattern: stream\nepoch-cycles: -5\n");
    mentions(badInput("memory", "--config", cfg.toString()), "epoch-cycles", "-5");
  }

  @Test
  void outputsThatAreFoldersAreNamed() {
    mentions(badInput("memory", "--pattern", "stream", "--requests", "10", "--command-trace", dir.toString()),
        dir.toString(), "folder");
    mentions(badInput("memory", "--pattern", "stream", "--requests", "10", "--epoch-chart", dir.toString()),
        dir.toString(), "folder");
    mentions(badInput("memory", "--pattern", "stream", "--requests", "10", "--latency-chart", dir.toString()),
        "latency-chart", dir.toString(), "folder");
  }

  @Test
  void unknownMapping() {
    mentions(badInput("memory", "--pattern", "stream", "--mapping", "RoRoRo"), "RoRoRo");
  }

  @Test
  void unknownFlagAndBadNumber() {
    Run r = run("memory", "--pattern", "stream", "--bogus-flag");
    assertEquals(2, r.status());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("duplexsim: error:")).count(), r.err());
    assertTrue(r.err().contains("--bogus-flag"), r.err());
    assertTrue(r.err().contains("duplexsim memory --help"), r.err());
    assertFalse(r.err().contains("at io."), r.err());
    mentions(badInput("memory", "--pattern", "stream", "--requests", "lots"), "--requests", "lots");
    mentions(badInput("memory", "--pattern", "stream", "--stride", "8 bananas"), "--stride");
    badInput("nonsense");
    badInput();
    badInput("list");
  }

  @Test
  void bothOrNeitherTraceAndPattern() throws IOException {
    Path t = file("ok.trace", "LD 0x40\n");
    mentions(badInput("memory", "--trace", t.toString(), "--pattern", "stream"), "--trace", "--pattern");
    mentions(badInput("memory"), "--trace", "--pattern");
    mentions(badInput("memory", "--standard", "HBM3-6.4"), "--trace", "--pattern");
    Path both = file("both.yaml", "trace: ok.trace\npattern: stream\n");
    mentions(badInput("memory", "--config", both.toString()), both.toString(), "trace", "pattern");
    Path neither = file("neither.yaml", "standard: HBM3-5.2\n");
    mentions(badInput("memory", "--config", neither.toString()), "--trace", "--pattern");
  }

  @Test
  void badPatternSettings() {
    mentions(badInput("memory", "--pattern", "zigzag"), "zigzag", "bundle-stream");
    mentions(badInput("memory", "--pattern", "mix", "--read-fraction", "1.5"), "read fraction");
    mentions(badInput("memory", "--pattern", "stream", "--requests", "0"), "requests");
    mentions(badInput("memory", "--pattern", "stream", "--stacks", "0"), "stacks");
    mentions(badInput("memory", "--pattern", "stream", "--page-policy", "sometimes"), "sometimes", "adaptive");
    mentions(badInput("memory", "--pattern", "stream", "--refresh", "never"), "never", "per-bank");
  }

  @Test
  void helpExitsZero() {
    Run r = run("memory", "--help");
    assertEquals(0, r.status());
    assertTrue(r.out().contains("--pattern") && r.out().contains("--config"), r.out());
    assertEquals("", r.err());
    Run top = run("--help");
    assertEquals(0, top.status());
    assertTrue(top.out().contains("memory") && top.out().contains("list"), top.out());
  }
}
