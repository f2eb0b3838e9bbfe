package io.duplexsim.validation.timeline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.duplexsim.isa.Unit;
import io.duplexsim.workloads.serving.IterationLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;

/**
 * Writes a run's timeline as Chrome trace-event JSON (open in Perfetto or chrome://tracing): process 0
 * "engine" has the iterations as spans (stage, requests, tokens); process d+1 is device d, with one track
 * per unit (xPU, Logic-PIM, Bank-PIM, Bankgroup-PIM, link) holding each instruction as a span at the time
 * the device executor scheduled it, so co-processing shows as overlapping spans on the xPU and PIM
 * tracks. Times are in microseconds, as the format wants. Written to a temporary file and moved into
 * place, so a failed run leaves no trace that looks complete.
 */
public final class ChromeTrace {
  private static final int ENGINE = 0;

  private ChromeTrace() {}

  /**
   * Writes the iterations of {@code log} that {@code recorder} kept (the first ones, in order) to
   * {@code file}. The recorder must have seen the run's iterations one to one.
   */
  public static void write(Path file, IterationLog log, TimelineRecorder recorder, String title) {
    if (recorder.pricedIterations() != log.size()) {
      throw new IllegalStateException("timeline: " + recorder.pricedIterations() + " iterations priced but "
          + log.size() + " logged; the engine priced a batch that is not an iteration");
    }
    List<List<List<TimelineRecorder.Op>>> iterations = recorder.iterations();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      try (JsonGenerator g = new JsonFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeStringField("displayTimeUnit", "ns");
        g.writeObjectFieldStart("otherData");
        g.writeStringField("title", title);
        g.writeNumberField("iterations", log.size());
        g.writeNumberField("iterations_shown", iterations.size());
        g.writeEndObject();
        g.writeArrayFieldStart("traceEvents");
        int devices = iterations.isEmpty() ? 0 : iterations.get(0).size();
        process(g, ENGINE, "engine");
        meta(g, "thread_name", ENGINE, 0, "name", "iterations");
        for (int d = 0; d < devices; d++) {
          process(g, d + 1, "device " + d);
          EnumSet<Unit> used = EnumSet.noneOf(Unit.class);
          for (List<List<TimelineRecorder.Op>> it : iterations) {
            it.get(d).forEach(op -> used.add(Unit.parse(op.unit())));
          }
          for (Unit u : used) {
            meta(g, "thread_name", d + 1, u.ordinal() + 1, "name", u.label());
          }
        }
        for (int i = 0; i < iterations.size(); i++) {
          double start = log.startNs(i);
          g.writeStartObject();
          g.writeStringField("name", log.stage(i).label());
          g.writeStringField("cat", "iteration");
          g.writeStringField("ph", "X");
          g.writeNumberField("ts", start / 1e3);
          g.writeNumberField("dur", log.timeNs(i) / 1e3);
          g.writeNumberField("pid", ENGINE);
          g.writeNumberField("tid", 0);
          g.writeObjectFieldStart("args");
          g.writeNumberField("iteration", i);
          g.writeNumberField("requests", log.requests(i));
          g.writeNumberField("prefill_tokens", log.prefillTokens(i));
          g.writeNumberField("decode_tokens", log.decodeTokens(i));
          g.writeNumberField("kv_blocks", log.kvBlocks(i));
          g.writeEndObject();
          g.writeEndObject();
          List<List<TimelineRecorder.Op>> perDevice = iterations.get(i);
          for (int d = 0; d < perDevice.size(); d++) {
            for (TimelineRecorder.Op op : perDevice.get(d)) {
              if (op.endNs() <= op.startNs()) {
                continue; // barriers and empty ops take no time and would only clutter the tracks
              }
              double ts = (start + op.startNs()) / 1e3;
              g.writeStartObject();
              g.writeStringField("name", op.name() + " (" + op.category() + ")");
              g.writeStringField("cat", op.category());
              g.writeStringField("ph", "X");
              g.writeNumberField("ts", ts);
              g.writeNumberField("dur", (start + op.endNs()) / 1e3 - ts);
              g.writeNumberField("pid", d + 1);
              g.writeNumberField("tid", Unit.parse(op.unit()).ordinal() + 1);
              g.writeObjectFieldStart("args");
              g.writeNumberField("iteration", i);
              g.writeNumberField("flops", op.flops());
              g.writeNumberField("bytes", op.bytes());
              g.writeStringField("bound", op.bound());
              g.writeEndObject();
              g.writeEndObject();
            }
          }
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A process's name, and an order that puts the engine first and the devices by id. */
  private static void process(JsonGenerator g, int pid, String name) throws IOException {
    meta(g, "process_name", pid, 0, "name", name);
    g.writeStartObject();
    g.writeStringField("name", "process_sort_index");
    g.writeStringField("ph", "M");
    g.writeNumberField("pid", pid);
    g.writeNumberField("tid", 0);
    g.writeObjectFieldStart("args");
    g.writeNumberField("sort_index", pid);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void meta(JsonGenerator g, String name, int pid, int tid, String key, String value)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeStringField("ph", "M");
    g.writeNumberField("pid", pid);
    g.writeNumberField("tid", tid);
    g.writeObjectFieldStart("args");
    g.writeStringField(key, value);
    g.writeEndObject();
    g.writeEndObject();
  }
}
