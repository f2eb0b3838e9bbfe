package io.duplexsim.workloads.serving.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplexsim.sim.InputException;
import it.unimi.dsi.fastutil.ints.IntList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceRequestsTest {
  @TempDir
  Path dir;

  private Path write(String... lines) throws IOException {
    Path f = dir.resolve("trace.jsonl");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  @Test
  void readsArrivalsInEitherUnitAndKeepsTheCachingFields() throws IOException {
    Path f = write("{\"arrival_ms\": 1.5, \"input_tokens\": 3, \"output_tokens\": 2, \"token_ids\": [5, 6, 7]}",
        "",
        "{\"arrival_time_s\": 0.002, \"input_tokens\": 10, \"output_tokens\": 1, \"prefix_id\": \"sys\","
            + " \"chunk_ids\": [\"c1\", 42]}",
        "{\"arrival_ms\": 3, \"input_tokens\": 10, \"output_tokens\": 1, \"prefix_id\": 7, \"prefix_tokens\": 8}");
    TraceRequests t = TraceRequests.read(f);
    assertEquals(0, t.concurrency());
    RequestSpec a = t.next();
    assertEquals(new RequestSpec(0, 1.5e6, 3, 2, IntList.of(5, 6, 7), null, null), a);
    RequestSpec b = t.next();
    assertEquals(new RequestSpec(1, 2e6, 10, 1, null, "sys", List.of("c1", "42")), b);
    assertEquals(RequestSpec.withPrefix(2, 3e6, 10, 1, "7", 8), t.next());
    assertNull(t.next());
  }

  @Test
  void malformedLineNamesTheFileAndLine() throws IOException {
    Path f = write("{\"arrival_ms\": 0, \"input_tokens\": 3, \"output_tokens\": 2}", "{\"arrival_ms\": 1, \"input_tokens\": ");
    InputException e = assertThrows(InputException.class, () -> TraceRequests.read(f));
    assertEquals(f + ":2: not a JSON object: ", e.getMessage().substring(0, (f + ":2: not a JSON object: ").length()));
  }

  @Test
  void eachProblemGetsItsOwnMessage() throws IOException {
    assertMessage(f -> f + ":1: missing output_tokens", "{\"arrival_ms\": 0, \"input_tokens\": 3}");
    assertMessage(f -> f + ":1: input_tokens must be a positive integer, got 0",
        "{\"arrival_ms\": 0, \"input_tokens\": 0, \"output_tokens\": 1}");
    assertMessage(f -> f + ":1: exactly one of arrival_ms and arrival_time_s expected",
        "{\"input_tokens\": 1, \"output_tokens\": 1}");
    assertMessage(f -> f + ":1: unknown key 'arrival'; expected [arrival_ms, arrival_time_s, chunk_ids, input_tokens,"
        + " output_tokens, prefix_id, prefix_tokens, token_ids]", "{\"arrival\": 0, \"input_tokens\": 1, \"output_tokens\": 1}");
    assertMessage(f -> f + ":1: token_ids holds 2 ids but input_tokens is 3",
        "{\"arrival_ms\": 0, \"input_tokens\": 3, \"output_tokens\": 1, \"token_ids\": [1, 2]}");
    assertMessage(f -> f + ":2: arrival 1.0 ms is earlier than the line before (2.0 ms); sort the trace by arrival",
        "{\"arrival_ms\": 2, \"input_tokens\": 1, \"output_tokens\": 1}",
        "{\"arrival_ms\": 1, \"input_tokens\": 1, \"output_tokens\": 1}");
    assertMessage(f -> f + ":1: prefix_tokens needs a prefix_id and must be an integer in [0, input_tokens = 3], got 4",
        "{\"arrival_ms\": 0, \"input_tokens\": 3, \"output_tokens\": 1, \"prefix_id\": \"a\", \"prefix_tokens\": 4}");
    assertMessage(f -> f + ":1: prefix_tokens needs a prefix_id and must be an integer in [0, input_tokens = 3], got 2",
        "{\"arrival_ms\": 0, \"input_tokens\": 3, \"output_tokens\": 1, \"prefix_tokens\": 2}");
    assertMessage(f -> f + ": the request trace holds no requests", "");
  }

  private void assertMessage(java.util.function.Function<Path, String> expected, String... lines) throws IOException {
    Path f = write(lines);
    InputException e = assertThrows(InputException.class, () -> TraceRequests.read(f));
    assertEquals(expected.apply(f), e.getMessage());
  }

  @Test
  void missingFileIsAnInputError() {
    Path f = dir.resolve("absent.jsonl");
    InputException e = assertThrows(InputException.class, () -> TraceRequests.read(f));
    assertEquals("cannot read request trace " + f + ": " + f, e.getMessage());
  }
}
