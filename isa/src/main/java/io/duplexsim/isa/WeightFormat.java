package io.duplexsim.isa;

/**
 * The linear-layer quantization schemes of policies.md ("Give Me BF16 or Give Me Death"), each a
 * pair of weight and activation formats. Only linear layers in transformer blocks use them; KV
 * cache, embeddings and LM head stay 16-bit.
 */
public enum WeightFormat {
  BF16(TensorFormat.BF16, TensorFormat.BF16),
  FP16(TensorFormat.FP16, TensorFormat.FP16),
  /** W8A8-FP: FP8 per-channel weights, FP8 per-token dynamic activations (~1.0 B/weight). */
  W8A8_FP8(TensorFormat.FP8, TensorFormat.FP8),
  /** W8A8-INT: INT8 per-channel weights, INT8 per-token dynamic activations (~1.0 B/weight). */
  W8A8_INT8(TensorFormat.INT8, TensorFormat.INT8),
  /** W4A16-INT: INT4 weights in groups of 128 with FP16 scales (0.516 B/weight), BF16 activations. */
  W4A16(TensorFormat.INT4_G128_FP16, TensorFormat.BF16);

  private final TensorFormat weights;
  private final TensorFormat activations;

  WeightFormat(TensorFormat weights, TensorFormat activations) {
    this.weights = weights;
    this.activations = activations;
  }

  public TensorFormat weights() {
    return weights;
  }

  public TensorFormat activations() {
    return activations;
  }

  /** The name: bf16, fp16, w8a8-fp8, w8a8-int8, w4a16. */
  public String label() {
    return Names.of(this);
  }
}
