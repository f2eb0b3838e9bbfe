package io.duplexsim.workloads.serving.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RagRequestsTest {
  private static List<RequestSpec> all(RequestSource s) {
    List<RequestSpec> out = new ArrayList<>();
    for (RequestSpec r; (r = s.next()) != null; ) {
      out.add(r);
    }
    return out;
  }

  private static RagRequests rag(int n, long seed) {
    return new RagRequests(n, new ChunkPopularity(1000, 0.05, 0.6), 5, 32, new LengthDistribution.Uniform(10, 50),
        new LengthDistribution.Fixed(7), new ArrivalProcess.Poisson(10), seed);
  }

  @ParameterizedTest
  @CsvSource({"1000, 0.05, 0.6", "20000, 0.05, 0.6", "500, 0.1, 0.3", "100, 0.01, 0.9"})
  void theSolvedExponentGivesTheHotChunksTheirShare(int chunks, double fraction, double share) {
    ChunkPopularity p = new ChunkPopularity(chunks, fraction, share);
    int hot = ChunkPopularity.hotChunks(chunks, fraction);
    assertEquals(share, p.topShare(hot), 1e-9);
    assertTrue(p.exponent() > 0);
    // and the draws follow it
    SplittableRandom rng = new SplittableRandom(3);
    int inHot = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      inHot += p.sample(rng) < hot ? 1 : 0;
    }
    double sd = Math.sqrt(share * (1 - share) / n);
    assertEquals(share, (double) inHot / n, 5 * sd);
  }

  @Test
  void promptsAreDistinctChunksThenAQuestionWithTokensThatFollowTheChunks() {
    List<RequestSpec> reqs = all(rag(300, 1));
    assertEquals(300, reqs.size());
    Map<String, List<Integer>> chunkTokens = new HashMap<>();
    for (RequestSpec r : reqs) {
      assertEquals(5, r.chunkIds().size());
      assertEquals(5, new HashSet<>(r.chunkIds()).size(), "distinct");
      int q = r.inputTokens() - 5 * 32;
      assertTrue(q >= 10 && q <= 50);
      assertEquals(r.inputTokens(), r.tokenIds().size());
      assertEquals(7, r.outputTokens());
      for (int i = 0; i < 5; i++) {
        List<Integer> t = r.tokenIds().subList(i * 32, i * 32 + 32);
        List<Integer> seen = chunkTokens.putIfAbsent(r.chunkIds().get(i), List.copyOf(t));
        assertTrue(seen == null || seen.equals(t), "a chunk's tokens are its own wherever it sits");
      }
    }
    assertTrue(chunkTokens.size() < 300 * 5 / 2, "popular chunks repeat");
  }

  @Test
  void theSameSeedGivesTheSameWorkloadAndAnotherAnother() {
    assertEquals(all(rag(50, 4)), all(rag(50, 4)));
    assertNotEquals(all(rag(50, 4)), all(rag(50, 5)));
  }

  @Test
  void impossibleParametersNameTheirKey() {
    assertTrue(assertThrows(InputException.class, () -> new ChunkPopularity(100, 0.05, 0.01)).getMessage()
        .startsWith("rag-hot-share"));
    assertTrue(assertThrows(InputException.class, () -> new ChunkPopularity(100, 1.5, 0.6)).getMessage()
        .startsWith("rag-hot-fraction"));
    assertTrue(assertThrows(InputException.class, () -> new ChunkPopularity(1, 0.5, 0.6)).getMessage()
        .startsWith("rag-corpus-chunks"));
    ChunkPopularity p = new ChunkPopularity(4, 0.25, 0.5);
    assertTrue(assertThrows(InputException.class, () -> new RagRequests(1, p, 5, 32, new LengthDistribution.Fixed(1),
        new LengthDistribution.Fixed(1), new ArrivalProcess.Poisson(1), 1)).getMessage()
        .startsWith("rag-chunks-per-prompt"));
  }
}
