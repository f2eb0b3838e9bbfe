package io.duplexsim.workloads.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;

/** CSV files of a serving run: one row per request, or one per iteration (times in ms). */
public final class ServingCsv {
  public static final String REQUEST_HEADER =
      "id,arrival_ms,input_tokens,output_tokens,first_token_ms,finish_ms,ttft_ms,e2e_ms,mean_tbt_ms,max_tbt_ms,preemptions,cached_tokens";
  public static final String ITERATION_HEADER =
      "iteration,start_ms,time_ms,stage,requests,prefill_tokens,decode_tokens,kv_blocks,kv_occupancy,preemptions";

  private ServingCsv() {}

  public static void writeRequests(ServingResult result, Writer out) {
    try {
      out.write(REQUEST_HEADER + "\n");
      for (RequestRecord r : result.perRequest()) {
        out.write(String.format(Locale.ROOT, "%d,%s,%d,%d,%s,%s,%s,%s,%s,%s,%d,%d%n", r.id(), ms(r.arrivalNs()),
            r.inputTokens(), r.outputTokens(), ms(r.firstTokenNs()), ms(r.finishNs()), ms(r.ttftNs()), ms(r.e2eNs()),
            ms(r.meanTbtNs()), ms(r.maxTbtNs()), r.preemptions(), r.cachedTokens()));
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void writeIterations(ServingResult result, Writer out) {
    IterationLog log = result.iterationLog();
    try {
      out.write(ITERATION_HEADER + "\n");
      for (int i = 0; i < log.size(); i++) {
        out.write(String.format(Locale.ROOT, "%d,%s,%s,%s,%d,%d,%d,%d,%s,%d%n", i, ms(log.startNs(i)),
            ms(log.timeNs(i)), log.stage(i).label(), log.requests(i), log.prefillTokens(i), log.decodeTokens(i),
            log.kvBlocks(i), Double.toString(log.kvOccupancy(i)), log.preemptions(i)));
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Shortest text that reads back as the same double (a fixed %.3f would hide sub-microsecond gaps). */
  private static String ms(double ns) {
    return Double.toString(ns / 1e6);
  }
}
