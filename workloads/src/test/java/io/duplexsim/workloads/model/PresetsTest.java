package io.duplexsim.workloads.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every preset against its row of models.md: dimensions exactly, BF16 KV bytes per token exactly,
 * and the parameter totals within a tolerance. The tolerance is 0.5% where models.md gives a
 * rounded figure and 2% where it writes "~" (Grok-1) or the total is a rounded headline (GLaM's
 * 143B from the paper, OPT's 66B, DeepSeek's 37B and 21B active).
 */
class PresetsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # name         | layers | d     | heads | kv  | dHead | ffn   | experts | topK | vocab  | kvBytes   | total  | active | tol
      llama-3-8b     | 32     | 4096  | 32    | 8   | 128   | 14336 | 0       | 0    | 128256 | 131072    | 8.03   | 8.03   | 0.005
      llama-3-70b    | 80     | 8192  | 64    | 8   | 128   | 28672 | 0       | 0    | 128256 | 327680    | 70.6   | 70.6   | 0.005
      llama-3.1-405b | 126    | 16384 | 128   | 8   | 128   | 53248 | 0       | 0    | 128256 | 516096    | 405.8  | 405.8  | 0.005
      mixtral-8x7b   | 32     | 4096  | 32    | 8   | 128   | 14336 | 8       | 2    | 32000  | 131072    | 46.7   | 12.9   | 0.005
      mixtral-8x22b  | 56     | 6144  | 48    | 8   | 128   | 16384 | 8       | 2    | 32768  | 229376    | 140.6  | 39.2   | 0.005
      grok-1         | 64     | 6144  | 48    | 8   | 128   | 32768 | 8       | 2    | 131072 | 262144    | 316    | 85     | 0.02
      glam           | 32     | 4096  | 32    | 32  | 128   | 16384 | 64      | 2    | 256000 | 524288    | 143    | -1     | 0.02
      opt-66b        | 64     | 9216  | 72    | 72  | 128   | 36864 | 0       | 0    | 50272  | 2359296   | 66     | 66     | 0.02
      deepseek-v3    | 61     | 7168  | 128   | 128 | 128   | 18432 | 256     | 8    | 129280 | 70272     | 671    | 37     | 0.02
      deepseek-v2    | 60     | 5120  | 128   | 128 | 128   | 12288 | 160     | 6    | 102400 | 69120     | 236    | 21     | 0.02
      qwen2.5-7b     | 28     | 3584  | 28    | 4   | 128   | 18944 | 0       | 0    | 152064 | 57344     | 7.6    | 7.6    | 0.01
      gemma-2b       | 18     | 2048  | 8     | 1   | 256   | 16384 | 0       | 0    | 256000 | 18432     | 2.5    | 2.5    | 0.01
      gemma-3-1b     | 26     | 1152  | 4     | 1   | 256   | 6912  | 0       | 0    | 262144 | 26624     | 1.0    | 1.0    | 0.02
      tinyllama-1.1b | 22     | 2048  | 32    | 4   | 64    | 5632  | 0       | 0    | 32000  | 22528     | 1.1    | 1.1    | 0.01
      # not in models.md: meta-llama/Llama-3.2-1B config.json and its model card's 1.23B
      llama-3.2-1b   | 16     | 2048  | 32    | 8   | 64    | 8192  | 0       | 0    | 128256 | 32768     | 1.23   | 1.23   | 0.01
      """)
  void matchesModelsMd(String name, int layers, int d, int heads, int kv, int dHead, int ffn, int experts, int topK,
      int vocab, long kvBytes, double totalB, double activeB, double tol) {
    ModelSpec m = Models.preset(name);
    assertEquals(name, m.name());
    assertEquals(layers, m.layers());
    assertEquals(d, m.dModel());
    assertEquals(heads, m.attention().heads());
    assertEquals(kv, m.attention().kvHeads());
    assertEquals(dHead, m.attention().headDim());
    assertEquals(ffn, m.ffnSize());
    assertEquals(vocab, m.vocab());
    assertEquals(experts > 0, m.isMoe());
    if (experts > 0) {
      assertEquals(experts, m.moe().experts());
      assertEquals(topK, m.moe().topK());
    }
    assertEquals(kvBytes, m.kvBytesPerToken(TensorFormat.BF16));
    assertNear(totalB, m.totalParams(), tol, name + " total");
    if (activeB > 0) {
      assertNear(activeB, m.activeParams(), tol, name + " active");
    }
    assertTrue(m.source() != null && !m.source().isBlank());
  }

  private static void assertNear(double expectedBillions, long actual, double tol, String what) {
    double ratio = actual / (expectedBillions * 1e9);
    assertTrue(Math.abs(ratio - 1) <= tol,
        () -> String.format("%s: %.3fB vs models.md %.3gB (%.2f%%, tolerance %.1f%%)", what, actual / 1e9,
            expectedBillions, (ratio - 1) * 100, tol * 100));
  }

  @org.junit.jupiter.api.Test
  void everyModelOfModelsMdIsAPreset() {
    assertEquals(List.of("mixtral-8x7b", "mixtral-8x22b", "glam", "grok-1", "opt-66b", "llama-3-8b", "llama-3-70b",
        "llama-3.1-405b", "qwen2.5-7b", "gemma-2b", "gemma-3-1b", "tinyllama-1.1b", "llama-3.2-1b", "deepseek-v3", "deepseek-v2"),
        Models.names());
  }
}
