package io.duplexsim.units.nearmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.OpResult;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decode attention on the near-memory units through the cycle-level HBM model, on stacks cut down to a
 * few pseudo-channels so the runs stay short. Decode attention is a GEMV per (request, KV head) pair
 * with Op/B = the GQA group: Logic-PIM streams it at the bank-bundle bandwidth, Bank-PIM wins at group
 * 1 and loses once the group outgrows its Op/B of 1.
 */
class NearMemoryAttentionTest {
  private static final NearMemoryConfig LOGIC = NearMemoryConfig.logicPim();
  private static final NearMemoryConfig BANK = NearMemoryConfig.bankPim();
  /** One pseudo-channel's bank-bundle bandwidth: 4x its 20.8 GB/s pins (hardware.md). */
  private static final double BUNDLE_GBPS_PER_PC = 4 * 20.8;

  private static MemoryConfig stacks(int stacks, int pcsPerStack) {
    return MemoryConfig.builder("HBM3-5.2").stacks(stacks).orgOverride("channels", 1)
        .orgOverride("pseudoChannels", pcsPerStack).build();
  }

  static Attention decode(int batch, int kvLength, int heads, int kvHeads, int headDim) {
    int[] q = new int[batch];
    int[] kv = new int[batch];
    Arrays.fill(q, 1);
    Arrays.fill(kv, kvLength);
    return decode(q, kv, heads, kvHeads, headDim);
  }

  static Attention decode(int[] q, int[] kv, int heads, int kvHeads, int headDim) {
    return new Attention(0, Unit.LOGIC_PIM, IntSeq.empty(), IntSeq.of(q), IntSeq.of(kv), heads, kvHeads, headDim,
        true, AttentionPhase.DECODE, TensorFormat.BF16, null);
  }

  private static NearMemoryConfig withSoftmax(NearMemoryConfig c, int elementsPerCycle) {
    return new NearMemoryConfig(c.name(), c.read(), c.macsPerCycle(), c.clockMHz(), c.bufferBytes(),
        new SoftmaxUnitConfig(elementsPerCycle, 650));
  }

  @Test
  void logicPimDecodeTimeScalesWithKvBytesAndStreamsNearTheBundlePeak() {
    MemoryConfig mem = stacks(1, 4);
    // Llama-3-8B heads (32 query, 8 KV, 128 dims): 16 pairs, 4 per pseudo-channel.
    OpResult shorter = NearMemoryAttention.run(LOGIC, mem, decode(2, 1024, 32, 8, 128));
    OpResult longer = NearMemoryAttention.run(LOGIC, mem, decode(2, 2048, 32, 8, 128));
    assertEquals(2 * shorter.bytes(), longer.bytes());
    assertEquals(2.0, longer.timeNs() / shorter.timeNs(), 0.1, shorter + "\n" + longer);
    double peak = 4 * BUNDLE_GBPS_PER_PC;
    assertTrue(longer.achievedGBps() <= peak, longer.toString());
    assertTrue(longer.achievedGBps() >= 0.85 * peak, longer + " vs peak " + peak);
    assertEquals("memory", longer.bound());
  }

  @Test
  void opPerByteIsTheGqaGroupSize() {
    MemoryConfig mem = stacks(1, 2);
    for (int kvHeads : new int[] {32, 8, 4}) {
      OpResult r = NearMemoryAttention.run(LOGIC, mem, decode(1, 256, 32, kvHeads, 128));
      assertEquals(32.0 / kvHeads, r.opPerByte(), 1e-12, "kv heads " + kvHeads);
      assertEquals(2L * kvHeads * 128 * 256 * 2, r.bytes());
    }
  }

  /**
   * The paper's argument for Logic-PIM: Bank-PIM's Op/B 1 suits multi-head attention (group 1) but not
   * GQA (group 8), where Logic-PIM's Op/B 8 keeps it streaming.
   */
  @Test
  void bankPimWinsMultiHeadAttentionAndLogicPimWinsGqaGroupEight() {
    MemoryConfig mem = stacks(1, 4);
    Attention mha = decode(4, 1024, 8, 8, 128);
    Attention gqa = decode(4, 1024, 64, 8, 128);
    OpResult bankMha = NearMemoryAttention.run(BANK, mem, mha);
    OpResult logicMha = NearMemoryAttention.run(LOGIC, mem, mha);
    OpResult bankGqa = NearMemoryAttention.run(BANK, mem, gqa);
    OpResult logicGqa = NearMemoryAttention.run(LOGIC, mem, gqa);
    assertTrue(bankMha.timeNs() < 0.5 * logicMha.timeNs(), bankMha + "\n" + logicMha);
    assertTrue(logicGqa.timeNs() < bankGqa.timeNs(), logicGqa + "\n" + bankGqa);
    assertEquals("compute", bankGqa.bound());
  }

  /** One softmax unit per stack: two modules whose scores finish together wait for each other. */
  @Test
  void softmaxesOfTwoModulesSerialiseOnTheStacksUnit() {
    NearMemoryConfig slow = withSoftmax(LOGIC, 1); // 512 scores -> 512 unit cycles at 650 MHz
    Attention one = decode(1, 512, 1, 1, 128);
    Attention two = decode(2, 512, 1, 1, 128);
    OpResult alone = NearMemoryAttention.run(slow, stacks(1, 2), one);
    OpResult sharing = NearMemoryAttention.run(slow, stacks(1, 2), two);
    OpResult apart = NearMemoryAttention.runAllStacks(slow, stacks(2, 1), two);
    assertEquals(512, sharing.unitCycles() - alone.unitCycles(), 4, alone + "\n" + sharing);
    assertEquals(alone.unitCycles(), apart.unitCycles(), 4, alone + "\n" + apart);
    // The context waits for its softmax: a fast unit removes most of those 512 cycles.
    OpResult fast = NearMemoryAttention.run(LOGIC, stacks(1, 2), one);
    assertTrue(alone.unitCycles() - fast.unitCycles() > 400, alone + "\n" + fast);
  }

  @Test
  void energyPerKvBitIsLowestOnBankPimThenLogicPimThenBankgroupPim() {
    MemoryConfig mem = stacks(1, 2);
    Attention a = decode(2, 1024, 32, 8, 128);
    OpResult bank = NearMemoryAttention.run(BANK, mem, a);
    OpResult logic = NearMemoryAttention.run(LOGIC, mem, a);
    OpResult bankgroup = NearMemoryAttention.run(NearMemoryConfig.bankgroupPim(), mem, a);
    assertTrue(bank.pjPerBit() < logic.pjPerBit(), bank + "\n" + logic);
    assertTrue(logic.pjPerBit() < bankgroup.pjPerBit(), logic + "\n" + bankgroup);
    long scores = 32L * 2 * 1024;
    assertEquals(SoftmaxUnitConfig.energyPj(scores), logic.energyBreakdownPj().get("logic-pim.softmax"), 1e-6);
    assertEquals(a.flops() / 2.0 * NearMemoryGemm.MAC_PJ, logic.energyBreakdownPj().get("logic-pim.mac"), 1e-6);
  }

  @Test
  void prefillIsRejectedWithAClearMessage() {
    Attention prefill = new Attention(0, Unit.LOGIC_PIM, IntSeq.empty(), IntSeq.of(128), IntSeq.of(128), 32, 8, 128,
        true, AttentionPhase.PREFILL, TensorFormat.BF16, null);
    InputException e = assertThrows(InputException.class,
        () -> NearMemoryAttention.run(LOGIC, stacks(1, 2), prefill));
    assertTrue(e.getMessage().contains("xPU"), e.getMessage());
  }

  static Stream<Arguments> replicationCases() {
    return Stream.of(
        // 5 equal pairs on 3 stacks x 2: stacks 0 and 1 alike, stack 2 ends early and keeps refreshing.
        Arguments.of(LOGIC, 3, new int[] {4096, 4096, 4096, 4096, 4096}),
        Arguments.of(BANK, 3, new int[] {8192, 8192, 8192, 8192, 8192}),
        // Uneven lengths, 4 stacks: two stacks alike.
        Arguments.of(NearMemoryConfig.bankgroupPim(), 4, new int[] {4096, 4096, 4096, 4096, 3000, 3000, 100}));
  }

  @ParameterizedTest
  @MethodSource("replicationCases")
  void simulatingEachKindOfStackOnceEqualsSimulatingAllStacks(NearMemoryConfig unit, int stacks, int[] kv) {
    int[] q = new int[kv.length];
    Arrays.fill(q, 1);
    Attention a = decode(q, kv, 4, 1, 128);
    MemoryConfig mem = stacks(stacks, 2);
    OpResult full = NearMemoryAttention.runAllStacks(unit, mem, a);
    OpResult fast = NearMemoryAttention.run(unit, mem, a);
    String what = unit.name() + " " + Arrays.toString(kv);
    assertTrue(full.energyBreakdownPj().get("dram.refresh") > 0, what + ": the run should span a refresh");
    assertEquals(full.unitCycles(), fast.unitCycles(), what);
    assertEquals(full.timeNs(), fast.timeNs(), 1e-9, what);
    assertEquals(full.bytes(), fast.bytes(), what);
    assertEquals(full.flops(), fast.flops(), what);
    assertEquals(full.busyFraction(), fast.busyFraction(), 1e-12, what);
    assertEquals(full.bound(), fast.bound(), what);
    assertEquals(full.energyBreakdownPj().keySet(), fast.energyBreakdownPj().keySet(), what);
    full.energyBreakdownPj().forEach((k, v) ->
        assertEquals(v, fast.energyBreakdownPj().get(k), 1e-9 * (1 + v), what + " " + k));
  }

  @Test
  void fastForwardGivesTheSameCycles() {
    Attention a = decode(3, 700, 16, 4, 64);
    MemoryConfig on = stacks(1, 2);
    MemoryConfig off = on.toBuilder().fastForward(false).build();
    assertEquals(NearMemoryAttention.run(LOGIC, on, a), NearMemoryAttention.run(LOGIC, off, a));
    assertEquals(NearMemoryAttention.run(BANK, on, a), NearMemoryAttention.run(BANK, off, a));
  }
}
