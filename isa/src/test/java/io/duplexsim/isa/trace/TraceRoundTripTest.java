package io.duplexsim.isa.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.RandomInstructions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceRoundTripTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234, 99991, -7, 0xDEADBEEFL})
  void jsonlRoundTripEquals(long seed) {
    InstructionTrace t = new RandomInstructions(seed).trace(60);
    String text = TraceJsonl.toString(t);
    InstructionTrace back = TraceJsonl.read(text, "seed" + seed + ".jsonl");
    assertEquals(t, back);
    assertEquals(text, TraceJsonl.toString(back));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234, 99991, -7, 0xDEADBEEFL})
  void binaryRoundTripEquals(long seed) {
    InstructionTrace t = new RandomInstructions(seed).trace(60);
    byte[] bytes = TraceBinary.toBytes(t);
    InstructionTrace back = TraceBinary.read(bytes, "seed" + seed + ".bin");
    assertEquals(t, back);
    assertArrayEquals(bytes, TraceBinary.toBytes(back));
  }

  @ParameterizedTest
  @ValueSource(longs = {5, 6, 7, 8})
  void jsonlToBinaryToJsonlEquals(long seed) {
    InstructionTrace t = new RandomInstructions(seed).trace(40);
    String text = TraceJsonl.toString(t);
    InstructionTrace viaBinary =
        TraceBinary.read(TraceBinary.toBytes(TraceJsonl.read(text, "a.jsonl")), "a.bin");
    assertEquals(text, TraceJsonl.toString(viaBinary));
  }

  @Test
  void generatorCoversEveryKind() {
    Set<Class<?>> kinds = new HashSet<>();
    for (Instruction i : new RandomInstructions(1).trace(14).instructions()) {
      kinds.add(i.getClass());
    }
    assertEquals(Set.of(Instruction.class.getPermittedSubclasses()), kinds);
  }

  @Test
  void filesRoundTrip(@TempDir Path dir) throws Exception {
    InstructionTrace t = new RandomInstructions(77).trace(30);
    Path j = dir.resolve("t.jsonl");
    Path b = dir.resolve("t.bin");
    TraceJsonl.write(t, j);
    TraceBinary.write(t, b);
    assertEquals(t, TraceJsonl.read(j));
    assertEquals(t, TraceBinary.read(b));
    assertEquals(TraceJsonl.toString(t), Files.readString(j));
  }

  @Test
  void jsonLineLooksAsDocumented() {
    String text = """
        {"format":"duplexsim-trace","version":1,"device":"duplex0","model":"mixtral"}
        {"op":"gemm","id":0,"unit":"logic-pim","m":4,"k":4096,"n":14336,\
        "weightFormat":"int4/g128/fp16","activationFormat":"bf16",\
        "weights":{"stackFirst":0,"stackCount":4,"pchFirst":0,"pchCount":32,"bundle":2,\
        "address":0,"bytes":30277632}}

        {"op":"collective","id":1,"unit":"link","deps":[0],"kind":"all-reduce","payload":4096,\
        "group":[0,1]}
        """;
    InstructionTrace t = TraceJsonl.read(text, "doc.jsonl");
    assertEquals(2, t.size());
    assertEquals("mixtral", t.header().model());
    assertEquals("gemm", OpCodes.name(t.get(0)));
  }
}
