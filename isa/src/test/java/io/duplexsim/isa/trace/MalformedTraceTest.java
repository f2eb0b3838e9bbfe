package io.duplexsim.isa.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Barrier;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.RandomInstructions;
import io.duplexsim.isa.TraceHeader;
import io.duplexsim.isa.Unit;
import io.duplexsim.sim.InputException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MalformedTraceTest {
  private static final String HEADER =
      "{\"format\":\"duplexsim-trace\",\"version\":1,\"device\":\"d0\"}\n";
  private static final String GEMM_OK = "{\"op\":\"gemm\",\"id\":0,\"unit\":\"xpu\",\"m\":1,"
      + "\"k\":8,\"n\":8,\"weightFormat\":\"bf16\",\"activationFormat\":\"bf16\"}\n";

  private static String error(String text) {
    return assertThrows(InputException.class, () -> TraceJsonl.read(text, "t.jsonl"))
        .getMessage();
  }

  @Test
  void nonPositiveDimensionNamesLineAndField() {
    String msg = error(HEADER + GEMM_OK + GEMM_OK.replace("\"id\":0", "\"id\":1")
        .replace("\"k\":8", "\"k\":-3"));
    assertEquals("t.jsonl:3: field 'k' expected a positive integer, got -3", msg);
  }

  @Test
  void unknownOp() {
    String msg = error(HEADER + "{\"op\":\"conv2d\",\"id\":0,\"unit\":\"xpu\"}\n");
    assertTrue(msg.startsWith("t.jsonl:2: unknown op \"conv2d\" (expected one of gemm,"), msg);
  }

  @Test
  void missingField() {
    String msg = error(HEADER + GEMM_OK.replace("\"n\":8,", ""));
    assertEquals("t.jsonl:2: missing field 'n' for op gemm", msg);
  }

  @Test
  void missingOp() {
    assertEquals("t.jsonl:2: missing field 'op'", error(HEADER + "{\"id\":0}\n"));
  }

  @Test
  void unknownField() {
    String msg = error(HEADER + GEMM_OK.replace("\"m\":1", "\"m\":1,\"kk\":2"));
    assertTrue(msg.startsWith("t.jsonl:2: unknown field 'kk' for op gemm"), msg);
  }

  @Test
  void wrongTypes() {
    assertEquals("t.jsonl:2: field 'k' expected an integer, got \"8\"",
        error(HEADER + GEMM_OK.replace("\"k\":8", "\"k\":\"8\"")));
    assertTrue(error(HEADER + GEMM_OK.replace("\"xpu\"", "\"gpu\""))
        .startsWith("t.jsonl:2: field 'unit' expected one of xpu, logic-pim"));
    assertTrue(error(HEADER + GEMM_OK.replace("\"weightFormat\":\"bf16\"",
        "\"weightFormat\":\"int3\"")).startsWith("t.jsonl:2: field 'weightFormat' expected"));
  }

  @Test
  void nestedPlacementFieldIsNamedWithItsPath() {
    String msg = error(HEADER + GEMM_OK.replace("\"m\":1", "\"m\":1,\"weights\":{\"stackFirst\":0,"
        + "\"stackCount\":1,\"pchFirst\":0,\"pchCount\":0,\"bundle\":-1,\"address\":0,"
        + "\"bytes\":8}"));
    assertEquals("t.jsonl:2: field 'weights.pchCount' expected a positive integer, got 0", msg);
    String missing = error(HEADER + GEMM_OK.replace("\"m\":1", "\"m\":1,\"weights\":{}"));
    assertEquals("t.jsonl:2: missing field 'weights.stackFirst' for op gemm", missing);
  }

  @Test
  void wrongVersion() {
    String msg = error(HEADER.replace("\"version\":1", "\"version\":2") + GEMM_OK);
    assertEquals("t.jsonl:1: field 'version' expected 1 (the version this simulator reads), got 2",
        msg);
  }

  @Test
  void missingHeader() {
    assertTrue(error(GEMM_OK).startsWith("t.jsonl:1: field 'format' expected \"duplexsim-trace\""));
    assertTrue(error("").startsWith("t.jsonl:1: missing header line"));
  }

  @Test
  void malformedJson() {
    String msg = error(HEADER + "\n" + "{\"op\":\"gemm\",\"id\":0,\n");
    assertTrue(msg.startsWith("t.jsonl:3: malformed JSON: "), msg);
    assertTrue(error(HEADER + "[1,2]\n").startsWith("t.jsonl:2: expected a JSON object"));
  }

  @Test
  void depsMustBeEarlierAndIdsUnique() {
    String later = HEADER + GEMM_OK.replace("\"id\":0", "\"id\":0,\"deps\":[5]");
    assertEquals("t.jsonl:2: field 'deps' expected ids of earlier instructions, got 5",
        error(later));
    assertEquals("t.jsonl:3: field 'id' expected a unique id, got 0 again",
        error(HEADER + GEMM_OK + GEMM_OK));
  }

  @Test
  void shapeRuleAcrossFields() {
    String att = "{\"op\":\"attention\",\"id\":0,\"unit\":\"logic-pim\",\"queryTokens\":[1],"
        + "\"kvLengths\":[64],\"heads\":32,\"kvHeads\":6,\"headDim\":128,\"causal\":true,"
        + "\"phase\":\"decode\",\"format\":\"bf16\"}\n";
    assertEquals("t.jsonl:2: field 'kvHeads' expected a divisor of heads (32), got 6",
        error(HEADER + att));
  }

  // ---------------------------------------------------------------- binary

  private static String binaryError(byte[] bytes) {
    return assertThrows(InputException.class, () -> TraceBinary.read(bytes, "t.bin"))
        .getMessage();
  }

  @Test
  void binaryBadMagicVersionTruncationAndTag() {
    InstructionTrace t = new RandomInstructions(3).trace(20);
    byte[] good = TraceBinary.toBytes(t);

    byte[] magic = good.clone();
    magic[0] = 'X';
    assertTrue(binaryError(magic).startsWith("t.bin:header: not a binary duplexsim trace"));

    byte[] version = good.clone();
    version[5] = 9;
    assertTrue(binaryError(version).startsWith("t.bin:header: field 'version' expected 1"));

    String truncated = binaryError(Arrays.copyOf(good, good.length - 3));
    assertTrue(truncated.startsWith("t.bin:#20: truncated trace"), truncated);

    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertTrue(binaryError(trailing).contains("trailing bytes"));
  }

  @Test
  void binaryInvalidFieldNamesInstructionAndField() {
    InstructionTrace t = new InstructionTrace(TraceHeader.of("d"),
        List.of(new Barrier(1, Unit.XPU, IntSeq.empty()), new Barrier(2, Unit.XPU, IntSeq.of(1))));
    byte[] bytes = TraceBinary.toBytes(t);
    // the last instruction: tag, id(4), unit(1), deps len(4), dep(4); corrupt its dep to itself
    bytes[bytes.length - 1] = 2;
    String msg = binaryError(bytes);
    assertTrue(msg.startsWith("t.bin:#2: barrier: field 'deps' expected ids of other"), msg);

    byte[] tag = TraceBinary.toBytes(t);
    tag[tag.length - 14] = 99;
    assertEquals("t.bin:#2: unknown op tag 99", binaryError(tag));
  }
}
