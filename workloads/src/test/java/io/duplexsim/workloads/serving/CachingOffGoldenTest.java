package io.duplexsim.workloads.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.workloads.serving.requests.ArrivalProcess;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.SyntheticRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With prefix caching off the engine must behave exactly as it did before caching existed: the golden
 * file was written by this test's {@link #render} on the engine of commit 41522ac (set
 * {@code -Dgolden.write=PATH} to rewrite it deliberately).
 */
class CachingOffGoldenTest {
  static String render() {
    StringBuilder out = new StringBuilder();
    for (PreemptionMode mode : PreemptionMode.values()) {
      for (boolean chunked : new boolean[] {true, false}) {
        ServingOptions o = ServingOptions.DEFAULTS.withMaxNumSeqs(6).withMaxNumBatchedTokens(chunked ? 64 : 160)
            .withEnableChunkedPrefill(chunked).withPreemptionMode(mode);
        ServingResult r = ServingSimulation.run(o, new SyntheticRequests(60, new LengthDistribution.Uniform(1, 64),
            new LengthDistribution.Zipf(0.8, 1, 80), new ArrivalProcess.Poisson(50_000), 7),
            LinearIterationModel.standard(), new KvCapacity(12, 16, 512, 1));
        out.append(mode).append(' ').append(chunked).append('\n').append(json(r)).append('\n');
        StringWriter w = new StringWriter();
        ServingCsv.writeRequests(r, w);
        out.append(w.toString().replaceAll("(?m),[^,\n]*$", "")); // without cached_tokens, added later
        w = new StringWriter();
        ServingCsv.writeIterations(r, w);
        out.append(w);
      }
    }
    return out.toString();
  }

  /** The summary without keys added after the golden was written. */
  static String json(ServingResult r) {
    Map<String, Object> m = r.toJson();
    m.keySet().removeAll(List.of("prefill_tokens_computed", "prefill_tokens_reused", "prefix_cache_hit_rate"));
    return m.toString();
  }

  @Test
  void cachingOffMatchesTheEngineBeforeCaching() throws IOException {
    // the golden file holds the default options (caching off), so this is the whole off path
    String now = render();
    String path = System.getProperty("golden.write");
    if (path != null) {
      Files.writeString(Path.of(path), now, StandardCharsets.UTF_8);
    }
    try (InputStream in = getClass().getResourceAsStream("caching-off-golden.txt")) {
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), now);
    }
  }
}
