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
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Decode attention composed from single-pair runs against the cycle-level run of the whole batch.
 * The composition replays the stack's softmax unit exactly and takes each pseudo-channel's stream from
 * its own cycle-level time line, so on one pseudo-channel it is exact, and on several it is off only
 * where streams meet at pair boundaries.
 */
class ComposedAttentionTest {
  private static MemoryConfig stacks(int stacks, int pcsPerStack) {
    return MemoryConfig.builder("HBM3-5.2").stacks(stacks).orgOverride("channels", 1)
        .orgOverride("pseudoChannels", pcsPerStack).build();
  }

  private static Attention decode(int[] q, int[] kv, int heads, int kvHeads) {
    return new Attention(0, Unit.LOGIC_PIM, IntSeq.empty(), IntSeq.of(q), IntSeq.of(kv), heads, kvHeads, 128, true,
        AttentionPhase.DECODE, TensorFormat.BF16, null);
  }

  @Test
  void onOnePseudoChannelTheCompositionTakesTheCycleLevelRunsTime() {
    MemoryConfig one = stacks(1, 1);
    NearMemoryConfig pim = NearMemoryConfig.logicPim();
    ComposedAttention composed = new ComposedAttention(pim, one);
    // 1 to 3 pairs in the module, K0 K1 V0 K2 V1 V2: every gate, stream and softmax lines up exactly
    for (int kvHeads = 1; kvHeads <= 3; kvHeads++) {
      for (int kv : new int[] {512, 1504}) {
        Attention a = decode(new int[] {1}, new int[] {kv}, 4 * kvHeads, kvHeads);
        OpResult cycle = NearMemoryAttention.run(pim, one, a);
        OpResult c = composed.price(a);
        assertEquals(cycle.unitCycles(), c.unitCycles(), kvHeads + " pairs of " + kv);
        // a module's pairs are one contiguous stream, so a row can span two pairs: activations differ slightly
        assertEquals(cycle.energyPj(), c.energyPj(), (kvHeads == 1 ? 1e-9 : 3e-3) * cycle.energyPj(),
            kvHeads + " pairs of " + kv);
        assertEquals(cycle.bytes(), c.bytes());
        assertEquals(cycle.busyFraction(), c.busyFraction(), 1e-12);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"logic-pim", "bank-pim"})
  void randomBatchesStayWithinOnePercentOfTheCycleLevelRun(String unit) {
    MemoryConfig mem = stacks(2, 4);
    NearMemoryConfig pim = unit.equals("logic-pim") ? NearMemoryConfig.logicPim() : NearMemoryConfig.bankPim();
    ComposedAttention composed = new ComposedAttention(pim, mem);
    Random rnd = new Random(11);
    for (int trial = 0; trial < 6; trial++) {
      int batch = 2 + rnd.nextInt(10); // 4 to 22 pairs on 8 pseudo-channels
      int[] q = new int[batch];
      int[] kv = new int[batch];
      for (int r = 0; r < batch; r++) {
        q[r] = 1;
        kv[r] = (16 + rnd.nextInt(1600)) / 16 * 16;
      }
      Attention a = decode(q, kv, 8, 2);
      OpResult cycle = NearMemoryAttention.run(pim, mem, a);
      OpResult c = composed.price(a);
      String what = unit + " batch " + java.util.Arrays.toString(kv) + ": cycle " + cycle.timeNs() + " ns, composed "
          + c.timeNs() + " ns";
      assertEquals(cycle.timeNs(), c.timeNs(), 0.01 * cycle.timeNs(), what);
      assertEquals(cycle.energyPj(), c.energyPj(), 0.01 * cycle.energyPj(), what);
      assertEquals(cycle.bytes(), c.bytes(), what);
      assertEquals(cycle.flops(), c.flops(), what);
    }
    // pair lengths are simulated once and shared by every batch
    assertTrue(composed.pairRuns() < 6 * 22, "pair runs " + composed.pairRuns());
  }

  @ParameterizedTest
  @ValueSource(strings = {"logic-pim", "bank-pim"})
  void verifyBatchesWithMixedQueryTokensStayWithinTwoPercent(String unit) {
    // speculative decoding verifies 1-5 tokens per request: a module's pairs stream at different MAC rates
    MemoryConfig mem = stacks(2, 4);
    NearMemoryConfig pim = unit.equals("logic-pim") ? NearMemoryConfig.logicPim() : NearMemoryConfig.bankPim();
    ComposedAttention composed = new ComposedAttention(pim, mem);
    Random rnd = new Random(5);
    for (int trial = 0; trial < 6; trial++) {
      int batch = 2 + rnd.nextInt(10);
      int[] q = new int[batch];
      int[] kv = new int[batch];
      for (int r = 0; r < batch; r++) {
        q[r] = 1 + rnd.nextInt(5);
        kv[r] = (64 + rnd.nextInt(1600)) / 16 * 16;
      }
      Attention a = decode(q, kv, 8, 2);
      OpResult cycle = NearMemoryAttention.run(pim, mem, a);
      OpResult c = composed.price(a);
      String what = unit + " q " + java.util.Arrays.toString(q) + " kv " + java.util.Arrays.toString(kv);
      assertEquals(cycle.timeNs(), c.timeNs(), 0.02 * cycle.timeNs(), what);
      assertEquals(cycle.energyPj(), c.energyPj(), 0.01 * cycle.energyPj(), what);
    }
  }

  @Test
  void aSharedSoftmaxUnitMakesModulesWaitForEachOther() {
    // a unit 64x slower than the assumed one: eight pseudo-channels' equal pairs queue at it
    NearMemoryConfig slow = new NearMemoryConfig("logic-pim", NearMemoryConfig.logicPim().read(), 512, 650, 8192,
        new SoftmaxUnitConfig(2, 650));
    MemoryConfig mem = stacks(1, 8);
    int[] q = {1, 1, 1, 1};
    int[] kv = {1024, 1024, 1024, 1024};
    Attention a = decode(q, kv, 8, 2);
    OpResult cycle = NearMemoryAttention.run(slow, mem, a);
    OpResult c = new ComposedAttention(slow, mem).price(a);
    OpResult alone = new ComposedAttention(slow, mem).price(decode(new int[] {1}, new int[] {1024}, 4, 1));
    // eight jobs of 4 x 1024 scores at 2 a cycle: the last waits for seven others
    assertTrue(c.unitCycles() > alone.unitCycles() + 7 * 2048 * 9 / 10, c + " vs " + alone);
    assertEquals(cycle.timeNs(), c.timeNs(), 0.01 * cycle.timeNs());
  }

  @Test
  void prefillIsRejectedAsTheCycleLevelModelRejectsIt() {
    Attention prefill = new Attention(0, Unit.LOGIC_PIM, IntSeq.empty(), IntSeq.of(64), IntSeq.of(64), 8, 2, 128, true,
        AttentionPhase.PREFILL, TensorFormat.BF16, null);
    InputException e = assertThrows(InputException.class,
        () -> new ComposedAttention(NearMemoryConfig.logicPim(), stacks(1, 2)).price(prefill));
    assertTrue(e.getMessage().contains("prefill attention is not run on logic-pim"), e.getMessage());
  }
}
