package io.duplexsim.validation.cli;

import static io.duplexsim.validation.cli.MainBadInputTest.badInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.Unit;
import io.duplexsim.isa.trace.TraceJsonl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code duplexsim compile} through {@link Main#run}. */
class CompileCommandTest {
  private static void mentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "'" + message + "' should mention '" + p + "'");
    }
  }

  @Test
  void writesOneReadableTracePerDeviceAndASummaryLineEach(@TempDir Path dir) {
    MainBadInputTest.Run r = MainBadInputTest.run("compile", "--system", "duplex-1x4", "--model", "mixtral-8x7b",
        "--strategy", "duplex", "--batch", "decode:32x1024,prefill:1x512", "--out", dir.toString());
    assertEquals(0, r.status(), r.err());
    List<String> summaries = r.out().lines().filter(l -> l.startsWith("device ")).toList();
    assertEquals(4, summaries.size(), r.out());
    for (int d = 0; d < 4; d++) {
      InstructionTrace t = TraceJsonl.read(dir.resolve("device-" + d + ".jsonl"));
      assertEquals("duplex", t.header().device());
      assertTrue(t.instructions().stream().anyMatch(i -> i.unit() == Unit.LOGIC_PIM));
      assertTrue(summaries.get(d).startsWith("device " + d + ": " + t.size() + " instructions"), summaries.get(d));
      mentions(summaries.get(d), "xpu", "logic-pim", "link", "flops", "bytes");
    }
  }

  @Test
  void withoutOutTheTracesGoToStandardOutputAndSummariesToStandardError() throws Exception {
    MainBadInputTest.Run r = MainBadInputTest.run("compile", "--system", "gpu-1x4", "--model", "llama-3-8b",
        "--strategy", "gpu", "--batch", "decode:2x64", "--weights", "int4");
    assertEquals(0, r.status(), r.err());
    assertEquals(4, r.out().lines().filter(l -> l.contains("\"format\":\"duplexsim-trace\"")).count());
    assertTrue(r.out().contains("int4/g128/fp16"));
    assertEquals(4, r.err().lines().filter(l -> l.startsWith("device ")).count(), r.err());
  }

  @Test
  void badFlagsAreInputErrors(@TempDir Path dir) throws Exception {
    String[] ok = {"--system", "duplex-1x4", "--model", "mixtral-8x7b", "--strategy", "duplex", "--batch", "decode:4x64"};
    mentions(badInput(with(ok, "--system", "tpu-1x4")), "tpu-1x4", "duplex-1x4");
    mentions(badInput(with(ok, "--model", "gpt-5")), "gpt-5", "mixtral-8x7b");
    mentions(badInput(with(ok, "--strategy", "splitwise")), "splitwise", "duplex-pe-et");
    mentions(badInput(with(ok, "--batch", "decode:4")), "decode:4", "decode:NxKV");
    mentions(badInput(with(ok, "--weights", "int3")), "int3", "int4");
    mentions(badInput(with(ok, "--router", "zipf")), "zipf:EXPONENT");
    mentions(badInput(with(ok, "--router", "csv:" + dir.resolve("none.csv"))), "none.csv");
    mentions(badInput(with(ok, "--system", "gpu-1x4")), "logic-pim", "gpu-1x4");
    mentions(badInput(with(ok, "--model", "deepseek-v3", "--system", "duplex-1x8")), "MLA", "not yet supported");
    mentions(badInput(with(ok, "--model", "qwen2.5-7b", "--system", "duplex-1x8")), "8 devices", "28 query heads");
    Path file = Files.writeString(dir.resolve("file"), "x");
    mentions(badInput(with(ok, "--out", file.toString())), "not a folder");
    mentions(badInput("compile", "--system", "duplex-1x4"), "--model");
  }

  /** {@code base} with the flag pairs in {@code overrides} replaced or added. */
  private static String[] with(String[] base, String... overrides) {
    java.util.List<String> args = new java.util.ArrayList<>(List.of(base));
    for (int i = 0; i < overrides.length; i += 2) {
      int at = args.indexOf(overrides[i]);
      if (at >= 0) {
        args.set(at + 1, overrides[i + 1]);
      } else {
        args.add(overrides[i]);
        args.add(overrides[i + 1]);
      }
    }
    args.add(0, "compile");
    return args.toArray(new String[0]);
  }
}
