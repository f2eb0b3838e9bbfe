package io.duplexsim.workloads.serving.requests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duplexsim.sim.InputException;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Trace replay from JSON lines, one request per line (blank lines skipped), as LLMServingSim's
 * workloads: {@code arrival_ms} or {@code arrival_time_s}, {@code input_tokens}, {@code output_tokens},
 * and optionally {@code token_ids} (the prompt, as many ids as input_tokens), {@code prefix_id} (with
 * {@code prefix_tokens}, its length, prefix caching can share it without token ids) and
 * {@code chunk_ids} for the caching policies. Arrivals must not decrease: an unsorted trace is more
 * likely a mistake (mixed units) than an intent, so it is an error rather than silently sorted.
 * Every problem names the file and line.
 */
public final class TraceRequests implements RequestSource {
  private static final Set<String> KEYS =
      Set.of("arrival_ms", "arrival_time_s", "input_tokens", "output_tokens", "token_ids", "prefix_id", "prefix_tokens",
          "chunk_ids");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<RequestSpec> requests;
  private int next;

  private TraceRequests(List<RequestSpec> requests) {
    this.requests = List.copyOf(requests);
  }

  /** Reads and checks the whole trace (traces are small next to the simulation they drive). */
  public static TraceRequests read(Path file) {
    List<RequestSpec> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      double lastArrival = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        RequestSpec r = parseLine(line, out.size(), file + ":" + lineNo);
        if (r.arrivalNs() < lastArrival) {
          throw new InputException(file + ":" + lineNo + ": arrival " + r.arrivalNs() / 1e6
              + " ms is earlier than the line before (" + lastArrival / 1e6 + " ms); sort the trace by arrival");
        }
        lastArrival = r.arrivalNs();
        out.add(r);
      }
    } catch (IOException e) {
      throw new InputException("cannot read request trace " + file + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new InputException(file + ": the request trace holds no requests");
    }
    return new TraceRequests(out);
  }

  static RequestSpec parseLine(String line, long id, String where) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InputException(where + ": not a JSON object: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new InputException(where + ": a JSON object expected");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new InputException(where + ": unknown key '" + k + "'; expected " + KEYS.stream().sorted().toList());
      }
    }
    double arrivalNs;
    if (n.has("arrival_ms") == n.has("arrival_time_s")) {
      throw new InputException(where + ": exactly one of arrival_ms and arrival_time_s expected");
    } else if (n.has("arrival_ms")) {
      arrivalNs = nonNegative(n, "arrival_ms", where) * 1e6;
    } else {
      arrivalNs = nonNegative(n, "arrival_time_s", where) * 1e9;
    }
    int input = positiveInt(n, "input_tokens", where);
    int output = positiveInt(n, "output_tokens", where);
    IntArrayList tokenIds = null;
    if (n.has("token_ids")) {
      JsonNode a = n.get("token_ids");
      if (!a.isArray()) {
        throw new InputException(where + ": token_ids must be an array of integers");
      }
      tokenIds = new IntArrayList(a.size());
      for (JsonNode t : a) {
        if (!t.isInt() || t.intValue() < 0) {
          throw new InputException(where + ": token_ids must hold non-negative integers, got " + t);
        }
        tokenIds.add(t.intValue());
      }
      if (tokenIds.size() != input) {
        throw new InputException(where + ": token_ids holds " + tokenIds.size() + " ids but input_tokens is " + input);
      }
    }
    String prefixId = null;
    if (n.has("prefix_id")) {
      JsonNode p = n.get("prefix_id");
      if (!p.isTextual() && !p.isIntegralNumber()) {
        throw new InputException(where + ": prefix_id must be a string or an integer, got " + p);
      }
      prefixId = p.asText();
    }
    int prefixTokens = 0;
    if (n.has("prefix_tokens")) {
      JsonNode p = n.get("prefix_tokens");
      if (prefixId == null || !p.canConvertToInt() || !p.isIntegralNumber() || p.asInt() < 0 || p.asInt() > input) {
        throw new InputException(where + ": prefix_tokens needs a prefix_id and must be an integer in [0, input_tokens"
            + " = " + input + "], got " + p);
      }
      prefixTokens = p.asInt();
    }
    List<String> chunkIds = null;
    if (n.has("chunk_ids")) {
      JsonNode a = n.get("chunk_ids");
      if (!a.isArray()) {
        throw new InputException(where + ": chunk_ids must be an array");
      }
      chunkIds = new ArrayList<>();
      for (JsonNode c : a) {
        if (!c.isTextual() && !c.isIntegralNumber()) {
          throw new InputException(where + ": chunk_ids must hold strings or integers, got " + c);
        }
        chunkIds.add(c.asText());
      }
    }
    return new RequestSpec(id, arrivalNs, input, output, tokenIds, prefixId, chunkIds, prefixTokens);
  }

  private static double nonNegative(JsonNode n, String key, String where) {
    JsonNode v = n.get(key);
    if (!v.isNumber() || !(v.doubleValue() >= 0) || Double.isInfinite(v.doubleValue())) {
      throw new InputException(where + ": " + key + " must be a non-negative number, got " + v);
    }
    return v.doubleValue();
  }

  private static int positiveInt(JsonNode n, String key, String where) {
    JsonNode v = n.get(key);
    if (v == null) {
      throw new InputException(where + ": missing " + key);
    }
    if (!v.isInt() || v.intValue() < 1) {
      throw new InputException(where + ": " + key + " must be a positive integer, got " + v);
    }
    return v.intValue();
  }

  /** All requests of the trace, in order. */
  public List<RequestSpec> requests() {
    return requests;
  }

  @Override
  public RequestSpec next() {
    return next < requests.size() ? requests.get(next++) : null;
  }

  @Override
  public int concurrency() {
    return 0;
  }
}
