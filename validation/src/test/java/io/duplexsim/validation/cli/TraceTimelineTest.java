package io.duplexsim.validation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --trace-timeline}: a two-layer MoE model served on one device at roofline fidelity. */
class TraceTimelineTest {
  private static final double EPS_US = 1e-6;

  @TempDir
  Path dir;

  private record Span(double ts, double dur, int pid, int tid, String name) {
    double end() {
      return ts + dur;
    }
  }

  private JsonNode run(String system, String... extra) throws Exception {
    Path model = Path.of(TraceTimelineTest.class.getResource("/io/duplexsim/validation/run/mini-moe.json").toURI());
    Path file = dir.resolve(system + ".json");
    List<String> args = new ArrayList<>(List.of("run", "--system", system, "--model", model.toString(),
        "--devices-per-node", "1", "--requests", "6", "--max-num-seqs", "4", "--input-len", "32", "--output-len", "24",
        "--fidelity", "roofline", "--json", "--trace-timeline", file.toString()));
    args.addAll(List.of(extra));
    MainBadInputTest.Run r = MainBadInputTest.run(args.toArray(String[]::new));
    assertEquals(0, r.status(), r.err());
    assertFalse(Files.exists(dir.resolve(system + ".json.tmp")), "written through a temporary file");
    JsonNode trace = new ObjectMapper().readTree(file.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) trace).set("run", new ObjectMapper().readTree(r.out()));
    return trace;
  }

  /** The complete ("X") events, each checked to carry the trace-event fields. */
  private static List<Span> spans(JsonNode trace) {
    List<Span> spans = new ArrayList<>();
    for (JsonNode e : trace.get("traceEvents")) {
      assertTrue(e.has("ph") && e.has("pid") && e.has("tid") && e.has("name"), e.toString());
      String ph = e.get("ph").asText();
      assertTrue(ph.equals("X") || ph.equals("M"), e.toString());
      if (ph.equals("X")) {
        assertTrue(e.get("ts").isNumber() && e.get("dur").isNumber(), e.toString());
        assertTrue(e.get("ts").asDouble() >= 0 && e.get("dur").asDouble() > 0, e.toString());
        spans.add(new Span(e.get("ts").asDouble(), e.get("dur").asDouble(), e.get("pid").asInt(), e.get("tid").asInt(),
            e.get("name").asText()));
      }
    }
    return spans;
  }

  private static Map<String, String> trackNames(JsonNode trace) {
    Map<String, String> names = new HashMap<>();
    for (JsonNode e : trace.get("traceEvents")) {
      if (e.get("name").asText().equals("thread_name")) {
        names.put(e.get("pid").asInt() + "/" + e.get("tid").asInt(), e.get("args").get("name").asText());
      }
    }
    return names;
  }

  @Test
  void iterationsTileTheRunAndNoUnitDoesTwoThingsAtOnce() throws Exception {
    JsonNode trace = run("duplex", "--trace-timeline-iterations", "0");
    List<Span> spans = spans(trace);
    List<Span> iterations = spans.stream().filter(s -> s.pid() == 0).sorted(Comparator.comparingDouble(Span::ts)).toList();
    assertEquals(trace.get("run").get("iterations").asInt(), iterations.size());
    assertEquals(0.0, iterations.get(0).ts(), EPS_US);
    for (int i = 1; i < iterations.size(); i++) {
      assertEquals(iterations.get(i - 1).end(), iterations.get(i).ts(), EPS_US, "iteration " + i + " starts as the last ends");
    }
    assertEquals(trace.get("run").get("sim_time_s").asDouble() * 1e6, iterations.get(iterations.size() - 1).end(), 1e-3);
    Map<String, List<Span>> byTrack = new HashMap<>();
    spans.stream().filter(s -> s.pid() > 0).forEach(s -> byTrack.computeIfAbsent(s.pid() + "/" + s.tid(),
        k -> new ArrayList<>()).add(s));
    assertTrue(byTrack.size() >= 2, byTrack.keySet().toString());
    Map<String, String> names = trackNames(trace);
    for (Map.Entry<String, List<Span>> t : byTrack.entrySet()) {
      assertTrue(names.containsKey(t.getKey()), "track " + t.getKey() + " is named");
      List<Span> ops = new ArrayList<>(t.getValue());
      ops.sort(Comparator.comparingDouble(Span::ts));
      for (int i = 1; i < ops.size(); i++) {
        assertTrue(ops.get(i).ts() >= ops.get(i - 1).end() - EPS_US, names.get(t.getKey()) + ": " + ops.get(i - 1)
            + " overlaps " + ops.get(i));
      }
    }
    // every op lies inside an iteration
    for (Span s : spans) {
      if (s.pid() > 0) {
        assertTrue(iterations.stream().anyMatch(it -> it.ts() - EPS_US <= s.ts() && s.end() <= it.end() + EPS_US), s.toString());
      }
    }
  }

  @Test
  void duplexWithParallelExecutionOverlapsTheXpuAndLogicPim() throws Exception {
    assertTrue(xpuPimOverlapUs(run("duplex-pe")) > 0, "the xPU and Logic-PIM work at the same time under duplex-pe");
    assertEquals(0.0, xpuPimOverlapUs(run("duplex")), "without parallel execution they take turns");
  }

  private static double xpuPimOverlapUs(JsonNode trace) {
    List<Span> spans = spans(trace);
    Map<String, String> names = trackNames(trace);
    List<Span> xpu = spans.stream().filter(s -> "xpu".equals(names.get(s.pid() + "/" + s.tid()))).toList();
    List<Span> pim = spans.stream().filter(s -> "logic-pim".equals(names.get(s.pid() + "/" + s.tid()))).toList();
    assertFalse(xpu.isEmpty() || pim.isEmpty(), names.toString());
    double overlap = 0;
    for (Span a : xpu) {
      for (Span b : pim) {
        overlap += Math.max(0, Math.min(a.end(), b.end()) - Math.max(a.ts(), b.ts()));
      }
    }
    return overlap;
  }

  @Test
  void theTimelineShowsTheFirstIterationsOnly() throws Exception {
    JsonNode trace = run("duplex", "--trace-timeline-iterations", "3");
    assertEquals(3, spans(trace).stream().filter(s -> s.pid() == 0).count());
    assertEquals(3, trace.get("otherData").get("iterations_shown").asInt());
    assertEquals(trace.get("run").get("iterations").asInt(), trace.get("otherData").get("iterations").asInt());
    Path model = Path.of(TraceTimelineTest.class.getResource("/io/duplexsim/validation/run/mini-moe.json").toURI());
    JsonNode without = new ObjectMapper().readTree(MainBadInputTest.run("run", "--system", "duplex", "--model",
        model.toString(), "--devices-per-node", "1", "--requests", "6", "--max-num-seqs", "4", "--input-len", "32",
        "--output-len", "24", "--fidelity", "roofline", "--json").out());
    JsonNode with = trace.get("run").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) with).remove("wall_s");
    ((com.fasterxml.jackson.databind.node.ObjectNode) without).remove("wall_s");
    assertEquals(without, with, "recording the timeline changes no result");
    assertTrue(MainBadInputTest.badInput("run", "--trace-timeline", dir.resolve("x.json").toString(),
        "--trace-timeline-iterations", "-1").contains("--trace-timeline-iterations"));
  }
}
