package io.duplexsim.units.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.AttentionPhase;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.Unit;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.OpResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoStoreTest {
  /** Prices from the shape with awkward doubles (they must come back bit for bit), counting its calls. */
  private static final class Counting implements OpModel {
    int calls;

    @Override
    public OpResult price(Instruction ins) {
      calls++;
      double ns = ins.bytes() / 3.0 + Math.PI;
      Map<String, Double> energy = new LinkedHashMap<>();
      energy.put("dram.act", ns * 0.1);
      energy.put("xpu.mac", 1.0 / 7.0);
      return new OpResult(17, ns, ins.flops(), ins.bytes(), 0.3, ns / 11, 0.99, "memory", ns * 0.1 + 1.0 / 7.0, energy);
    }

    @Override
    public String fidelity() {
      return "counting";
    }
  }

  private static List<Instruction> shapes() {
    List<Instruction> out = new ArrayList<>();
    for (int n : new int[] {1024, 4096, 14336}) {
      out.add(new Gemm(3, Unit.XPU, IntSeq.of(1, 2), 8, 4096, n, TensorFormat.BF16, TensorFormat.BF16, null, null, null));
    }
    out.add(new Attention(5, Unit.LOGIC_PIM, IntSeq.empty(), IntSeq.of(1, 1), IntSeq.of(300, 4096), 32, 8, 128, false,
        AttentionPhase.DECODE, TensorFormat.BF16, null));
    return out;
  }

  @Test
  void pricesSavedByOneRunAreReadBackExactlyByTheNext(@TempDir Path dir) {
    String fp = MemoStore.fingerprint(List.of("device A", 16));
    Counting first = new Counting();
    MemoOpModel a = new MemoOpModel(first, 16).withStore(MemoStore.open(dir, fp));
    List<OpResult> priced = shapes().stream().map(a::price).toList();
    a.saveStore();
    Counting second = new Counting();
    MemoOpModel b = new MemoOpModel(second, 16).withStore(MemoStore.open(dir, fp));
    assertEquals(priced, shapes().stream().map(b::price).toList());
    assertEquals(0, second.calls, "nothing simulated again");
    assertEquals(shapes().size(), b.storedHits());
    // another configuration has its own file
    Counting third = new Counting();
    MemoOpModel c = new MemoOpModel(third, 16).withStore(MemoStore.open(dir,
        MemoStore.fingerprint(List.of("device B", 16))));
    shapes().forEach(c::price);
    assertEquals(first.calls, third.calls);
  }

  @Test
  void composedAttentionsPairRunsAreKeptAndReadBackByTheNextRun(@TempDir Path dir) {
    var duplex = io.duplexsim.units.device.Devices.load("duplex");
    var memory = duplex.memoryConfig().toBuilder().stacks(1).orgOverride("channels", 1)
        .orgOverride("pseudoChannels", 4).build();
    Attention decode = new Attention(0, Unit.LOGIC_PIM, IntSeq.empty(), IntSeq.of(1, 1, 1),
        IntSeq.of(304, 1024, 512), 8, 2, 128, true, AttentionPhase.DECODE, TensorFormat.BF16, null);
    String fp = MemoStore.fingerprint(List.of("composed", 16));
    MemoStore store = MemoStore.open(dir, fp);
    MemoOpModel first = new MemoOpModel(new CycleOpModel(duplex, memory, null), 16).withStore(store);
    OpResult a = first.price(decode);
    first.saveStore();
    // a new process: every pair run and stream comes from the file, so nothing may be simulated
    int[] simulated = new int[1];
    MemoStore reopened = MemoStore.open(dir, fp);
    var composed = new io.duplexsim.units.nearmemory.ComposedAttention(duplex.nearMemory("logic-pim").orElseThrow(),
        memory).keepingRunsIn(new io.duplexsim.units.nearmemory.ComposedAttention.Calibrations() {
          @Override
          public <T> T once(String name, Class<T> type, java.util.function.Supplier<T> simulate) {
            return reopened.calibrationOnce(name, type, () -> {
              simulated[0]++;
              return simulate.get();
            });
          }
        });
    assertEquals(a, composed.price(decode));
    assertEquals(0, simulated[0], "pair runs simulated again");
  }

  @Test
  void theFingerprintDependsOnTheConfigurationNotOnMapOrder() {
    assertEquals(MemoStore.fingerprint(List.of(Map.of("a", 1, "b", 2, "c", 3))),
        MemoStore.fingerprint(List.of(new java.util.TreeMap<>(Map.of("c", 3, "b", 2, "a", 1)))));
    assertNotEquals(MemoStore.fingerprint(List.of(Map.of("a", 1))), MemoStore.fingerprint(List.of(Map.of("a", 2))));
  }

  @Test
  void aDamagedStoreIsAnInputErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
    String fp = MemoStore.fingerprint(List.of("x"));
    Files.writeString(dir.resolve("memo-" + fp + ".jsonl"), "{\"op\": {\"op\": \"gemm\"}}\nnot json\n");
    InputException e = assertThrows(InputException.class, () -> MemoStore.open(dir, fp));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void aShapeTwoRunsNeedAtOnceIsSimulatedOnce() throws Exception {
    MemoStore shared = MemoStore.inMemory();
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger simulations = new java.util.concurrent.atomic.AtomicInteger();
    Instruction shape = shapes().get(0).withHeader(0, IntSeq.empty());
    OpResult price = new Counting().price(shape);
    java.util.function.Supplier<OpResult> slow = () -> {
      simulations.incrementAndGet();
      started.countDown();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return price;
    };
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = pool.submit(() -> shared.priceOnce(shape, slow));
      started.await();
      var second = pool.submit(() -> shared.priceOnce(shape, slow));
      assertEquals(price, first.get());
      assertEquals(price, second.get());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, simulations.get());
  }
}
