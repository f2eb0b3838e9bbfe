package io.duplexsim.workloads.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SplitMixStreamTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 42, -7, 0x9e3779b97f4a7c15L})
  void drawsWhatSplittableRandomDrawsForEveryBound(long seed) {
    SplittableRandom reference = new SplittableRandom(seed);
    SplitMixStream stream = new SplitMixStream(seed);
    SplittableRandom bounds = new SplittableRandom(seed * 31 + 5);
    for (int i = 0; i < 2_000_000; i++) {
      // small bounds as the router uses (experts left to pick), and any bound now and then
      int bound = i % 97 == 0 ? 1 + bounds.nextInt(Integer.MAX_VALUE) : 1 + bounds.nextInt(1100);
      assertEquals(reference.nextInt(bound), stream.nextInt(bound), "draw " + i + ", bound " + bound);
    }
    assertEquals(reference.nextInt(), stream.nextInt());
  }
}
