package io.duplexsim.workloads.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.trace.TraceJsonl;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.system.Systems;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Compiled traces survive the JSON-lines format unchanged, for every strategy; batch text parses. */
class TraceRoundTripTest {
  @ParameterizedTest
  @EnumSource(Strategy.class)
  void everyDevicesTraceRoundTripsThroughJsonLines(Strategy s) {
    String system = s == Strategy.GPU ? "gpu-1x4" : s == Strategy.BANK_PIM ? null : "duplex-1x4";
    CompiledIteration c = Traces.compile("mixtral-8x7b",
        system == null ? Systems.of("bank-pim", 4, 1) : Systems.load(system), s, "decode:8x300,prefill:1x64+32");
    for (InstructionTrace t : c.devices()) {
      assertEquals(t, TraceJsonl.read(TraceJsonl.toString(t), "device.jsonl"));
    }
  }

  @Test
  void batchTextGivesEntriesInOrder() {
    IterationBatch b = BatchSpec.parse("decode:2x1024, prefill:1x512+100");
    assertEquals(3, b.entries().size());
    assertEquals(new BatchEntry(1, Phase.DECODE, 1, 1024), b.entries().get(1));
    assertEquals(new BatchEntry(2, Phase.PREFILL, 512, 612), b.entries().get(2));
    InputException e = assertThrows(InputException.class, () -> BatchSpec.parse("decode:2x1024,prefil:1x5"));
    assertTrue(e.getMessage().contains("'prefil:1x5'"), e.getMessage());
  }
}
