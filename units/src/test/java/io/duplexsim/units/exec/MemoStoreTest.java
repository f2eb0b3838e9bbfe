package io.duplexsim.units.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void aRunSavesWhatItSimulatedAsItGoesOnceTheIntervalHasPassed(@TempDir Path dir) {
    String fp = MemoStore.fingerprint(List.of("device A", 16));
    Path file = dir.resolve("memo-" + fp + ".jsonl");
    // an interval no test outlives: nothing reaches the file before the run's end saves it
    MemoOpModel patient = new MemoOpModel(new Counting(), 16).withStore(MemoStore.open(dir, fp))
        .savingEvery(Long.MAX_VALUE);
    shapes().forEach(patient::price);
    assertFalse(Files.exists(file));
    // every simulated shape is due: the run is stopped before its end, and the next run finds them all
    MemoOpModel stopped = new MemoOpModel(new Counting(), 16).withStore(MemoStore.open(dir, fp)).savingEvery(0);
    List<OpResult> priced = shapes().stream().map(stopped::price).toList();
    Counting next = new Counting();
    MemoOpModel after = new MemoOpModel(next, 16).withStore(MemoStore.open(dir, fp));
    assertEquals(priced, shapes().stream().map(after::price).toList());
    assertEquals(0, next.calls, "nothing simulated again");
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
  void aDamagedPriceIsAnInputErrorNamingItsLineWhenARunAsksForIt(@TempDir Path dir) throws Exception {
    String fp = MemoStore.fingerprint(List.of("damaged price"));
    MemoOpModel a = new MemoOpModel(new Counting(), 16).withStore(MemoStore.open(dir, fp));
    shapes().forEach(a::price);
    a.saveStore();
    Path file = dir.resolve("memo-" + fp + ".jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(1, lines.get(1).replaceFirst("\"timeNs\":[-0-9.eE]+", "\"timeNs\":\"soon\""));
    Files.write(file, lines);
    MemoOpModel b = new MemoOpModel(new Counting(), 16).withStore(MemoStore.open(dir, fp)); // not read yet
    InputException e = assertThrows(InputException.class, () -> shapes().forEach(b::price));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void linesNoRunAskedForAreSavedAsTheyWere(@TempDir Path dir) throws Exception {
    String fp = MemoStore.fingerprint(List.of("kept lines"));
    List<Instruction> shapes = shapes();
    MemoOpModel a = new MemoOpModel(new Counting(), 16).withStore(MemoStore.open(dir, fp));
    shapes.subList(0, 3).forEach(a::price);
    a.saveStore();
    Path file = dir.resolve("memo-" + fp + ".jsonl");
    List<String> before = Files.readAllLines(file);
    // a later run reads one of them back and adds the rest
    Counting second = new Counting();
    MemoOpModel b = new MemoOpModel(second, 16).withStore(MemoStore.open(dir, fp));
    b.price(shapes.get(1));
    shapes.subList(3, shapes.size()).forEach(b::price);
    b.saveStore();
    List<String> after = Files.readAllLines(file);
    assertTrue(after.containsAll(before), "the first run's lines, byte for byte");
    assertEquals(shapes.size(), after.size());
    assertEquals(shapes.size() - 3, second.calls);
    // and every price, old or new, reads back as it was computed
    Counting third = new Counting();
    MemoOpModel c = new MemoOpModel(third, 16).withStore(MemoStore.open(dir, fp));
    assertEquals(shapes.stream().map(new MemoOpModel(new Counting(), 16)::price).toList(),
        shapes.stream().map(c::price).toList());
    assertEquals(0, third.calls);
  }

  @Test
  void theSameEntriesMakeTheSameFileWhateverOrderTheyWereFoundIn(@TempDir Path dir) throws Exception {
    List<Instruction> shapes = shapes();
    List<Instruction> reversed = new ArrayList<>(shapes);
    java.util.Collections.reverse(reversed);
    List<List<String>> files = new ArrayList<>();
    for (List<Instruction> order : List.of(shapes, reversed)) {
      Path d = Files.createDirectories(dir.resolve("order" + files.size()));
      String fp = MemoStore.fingerprint(List.of("order"));
      MemoStore store = MemoStore.open(d, fp);
      MemoOpModel m = new MemoOpModel(new Counting(), 16).withStore(store);
      // two saves, each with part of the shapes, and calibrations found in the same order as the shapes
      order.subList(0, 2).forEach(m::price);
      m.saveStore();
      order.subList(2, order.size()).forEach(m::price);
      for (Instruction ins : order) {
        store.calibrationOnce("calibration " + ins.bytes(), Long.class, ins::bytes);
      }
      m.saveStore();
      files.add(Files.readAllLines(d.resolve("memo-" + fp + ".jsonl")));
    }
    assertEquals(shapes.size() * 2, files.get(0).size());
    assertEquals(files.get(0), files.get(1));
  }

  @Test
  void calibrationsReadBackByNameWhateverTheNameHolds(@TempDir Path dir) {
    String fp = MemoStore.fingerprint(List.of("names"));
    String[] names = {"plain name", "a \"quoted\" one", "back\\slash", "tricky \",\"run\": inside"};
    MemoStore store = MemoStore.open(dir, fp);
    for (int i = 0; i < names.length; i++) {
      int n = i;
      assertEquals(n, store.calibrationOnce(names[i], Integer.class, () -> n));
    }
    store.save();
    MemoStore reopened = MemoStore.open(dir, fp);
    for (int i = 0; i < names.length; i++) {
      assertEquals(i, reopened.calibrationOnce(names[i], Integer.class, () -> -1), names[i]);
    }
  }

  @Test
  void theJarsHashIsKeptBesideItAndFollowsItsEntries(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("sim.jar");
    writeJar(jar, "a.class", "one");
    String first = MemoStore.jarHash(jar);
    Path kept = dir.resolve("sim.jar.build-id");
    assertTrue(Files.readString(kept).trim().endsWith(first), Files.readString(kept));
    assertEquals(first, MemoStore.jarHash(jar));
    // the same entries written again: a new modification time, the same hash
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
    writeJar(jar, "a.class", "one");
    assertEquals(first, MemoStore.jarHash(jar));
    writeJar(jar, "a.class", "two");
    assertNotEquals(first, MemoStore.jarHash(jar));
    // a kept hash for another stamp of the jar is not taken
    Files.writeString(kept, "1 2 beef\n");
    assertEquals(MemoStore.jarHash(jar), MemoStore.jarHash(jar));
    assertNotEquals("beef", MemoStore.jarHash(jar));
  }

  private static void writeJar(Path jar, String entry, String content) throws Exception {
    writeJar(jar, Map.of(entry, content));
  }

  private static void writeJar(Path jar, Map<String, String> entries) throws Exception {
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
        out.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
  }

  @Test
  void onlyThePricingCodeAndLibrariesMakeTheBuildsIdentity(@TempDir Path dir) throws Exception {
    // the serving engine and the command line choose what to price, not what a shape costs: a change
    // there keeps the stores; a change to a unit, the memory model, a preset or a library does not
    Map<String, String> entries = new LinkedHashMap<>(Map.of(
        "io/duplexsim/units/exec/CycleOpModel.class", "u1",
        "io/duplexsim/memory/standards/HBM3.yaml", "m1",
        "it/unimi/dsi/fastutil/Lib.class", "f1",
        "io/duplexsim/workloads/compiler/DeviceProgram.class", "w1",
        "io/duplexsim/validation/cli/Main.class", "v1",
        "META-INF/maven/io.duplexsim/duplexsim-validation/pom.properties", "p1",
        "scenarios/policies/a.yaml", "s1"));
    Path jar = dir.resolve("d.jar");
    writeJar(jar, entries);
    String base = MemoStore.jarHash(jar);
    for (String entry : List.copyOf(entries.keySet())) {
      Map<String, String> changed = new LinkedHashMap<>(entries);
      changed.put(entry, entries.get(entry) + " changed");
      Files.delete(dir.resolve("d.jar.build-id"));
      writeJar(jar, changed);
      boolean pricing = !entry.contains("workloads") && !entry.contains("validation") && !entry.startsWith("scenarios");
      assertEquals(pricing, !base.equals(MemoStore.jarHash(jar)), entry);
    }
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
