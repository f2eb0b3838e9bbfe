package io.duplexsim.units.xpu;

/**
 * One GEMM Y[m,n] = X[m,k] W[k,n] of a grouped run, with where its operands live. X and Y are
 * row-major at {@code xBase} and {@code yBase}; W is laid out as {@code layout} says. A causal
 * {@code mask} marks output columns (scores) or K positions (probabilities) a row may not see: row r
 * sees keys up to {@code maskOffset + r / rowsPerToken} (rows are query tokens times the GQA group,
 * token-major). Tiles wholly past a row block's last key are skipped; tiles on the diagonal are
 * computed whole, as FlashAttention does.
 */
public record GemmProblem(int m, int k, int n, long xBase, long wBase, long yBase, WeightLayout layout, Mask mask,
    int maskOffset, int rowsPerToken) {

  /** How W[k,n] is stored. */
  public enum WeightLayout {
    /** Pre-packed chunk by chunk (as inference engines pack weights); X and Y follow it on 2 MiB boundaries. */
    PACKED,
    /** Row-major [k][n] (a V cache: one token's head vector per row of W). */
    K_MAJOR,
    /** Row-major [n][k], i.e. W transposed (a K cache used as K^T). */
    N_MAJOR
  }

  /** Which dimension a causal mask limits. */
  public enum Mask {
    NONE,
    /** Output columns are keys (the score GEMM Q K^T). */
    KEYS_ON_N,
    /** The reduction runs over keys (the context GEMM P V). */
    KEYS_ON_K
  }

  public GemmProblem {
    if (m <= 0 || k <= 0 || n <= 0) {
      throw new IllegalArgumentException("GEMM dimensions must be positive");
    }
    if (mask != Mask.NONE && (rowsPerToken <= 0 || maskOffset < 0)) {
      throw new IllegalArgumentException("a causal mask needs rowsPerToken > 0 and maskOffset >= 0");
    }
  }

  /** A standalone GEMM with pre-packed weights from byte {@code base} on (X and Y placed after W). */
  public static GemmProblem packed(int m, int k, int n, long base) {
    return new GemmProblem(m, k, n, -1, base, -1, WeightLayout.PACKED, Mask.NONE, 0, 1);
  }

  /** The last key row {@code row} may see ({@code Integer.MAX_VALUE} without a mask). */
  int lastKey(int row) {
    return mask == Mask.NONE ? Integer.MAX_VALUE : maskOffset + row / rowsPerToken;
  }
}
