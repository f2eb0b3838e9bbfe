package io.duplexsim.workloads.model;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;

import io.duplexsim.isa.NormKind;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only transformer as the simulator sees it: shapes only, from a bundled preset
 * (models.yaml) or a Hugging Face config.json (see {@link Models}). Derived sizes (parameters,
 * weight bytes per format, KV bytes per token) are computed here, so presets hold only the
 * published dimensions.
 *
 * <p>{@code ffnSize} is the dense blocks' FFN size; it is unused when every block is MoE (Mixtral).
 * Parameter counts leave out what the published totals leave out: DeepSeek-V3's multi-token
 * prediction module, DeepSeek's routing-bias vector, Gemma-3's extra post-norms and Q/K norms.
 */
public record ModelSpec(
    String name,
    String description,
    String source,
    int layers,
    int dModel,
    int vocab,
    AttentionSpec attention,
    FfnKind ffnKind,
    int ffnSize,
    MoeSpec moe,
    NormKind norm,
    BiasKind bias,
    PositionKind positions,
    int maxPositions,
    boolean tiedEmbeddings) {

  /** Bytes per element of the tensors no weight format quantizes (policies.md: they stay 16-bit). */
  private static final double UNQUANTIZED_BYTES = TensorFormat.BF16.bytesPerElement();

  public ModelSpec {
    checkArgument(layers > 0 && dModel > 0 && vocab > 0, "layers, dModel and vocab must be positive");
    checkArgument(maxPositions >= 0, "maxPositions must not be negative");
    checkArgument(positions != PositionKind.LEARNED || maxPositions > 0, "learned positions need maxPositions");
    checkArgument(ffnSize > 0 || (moe != null && denseLayerCount(layers, moe) == 0),
        "ffnSize must be positive when some block is dense");
  }

  private static int denseLayerCount(int layers, MoeSpec moe) {
    int dense = 0;
    for (int i = 0; i < layers; i++) {
      dense += moe.isMoeLayer(i) ? 0 : 1;
    }
    return dense;
  }

  // ---- structure ----

  public boolean isMoe() {
    return moe != null;
  }

  /** Whether block {@code layer} (0-based) has an MoE FFN rather than a dense one. */
  public boolean isMoeLayer(int layer) {
    checkElementIndex(layer, layers, "layer");
    return moe != null && moe.isMoeLayer(layer);
  }

  public int moeLayerCount() {
    return moe == null ? 0 : layers - denseLayerCount(layers, moe);
  }

  public AttentionKind attentionKind() {
    return attention.kind();
  }

  /**
   * What the layer compiler cannot compile yet, one phrase each; empty when it can. The preset
   * still loads and reports its sizes, so users can list and compare it.
   */
  public List<String> unsupportedFeatures() {
    List<String> out = new ArrayList<>();
    if (attention.mla() != null) {
      out.add("MLA attention (kv_lora_rank " + attention.mla().kvLoraRank() + ")");
    }
    if (moe != null && moe.sharedExperts() > 0) {
      out.add("shared experts (" + moe.sharedExperts() + ")");
    }
    return out;
  }

  /** For the layer compiler: InputException naming the model and what is missing, if anything is. */
  public void requireCompilable() {
    List<String> missing = unsupportedFeatures();
    if (!missing.isEmpty()) {
      throw new InputException("model '" + name + "': " + String.join(" and ", missing)
          + (missing.size() == 1 ? " is" : " are") + " not yet supported by the layer compiler");
    }
  }

  // ---- parameters ----

  /** Weights of one routed (or shared) expert: gate/up/down or up/down at the expert FFN size. */
  public long expertParams() {
    checkArgument(moe != null, "model '%s' has no experts", name);
    return ffnParams(moe.expertFfnSize());
  }

  private long ffnParams(int size) {
    long weights = (long) ffnKind.matrices() * dModel * size;
    long biases = bias != BiasKind.ALL ? 0 : (long) (ffnKind.matrices() - 1) * size + dModel;
    return weights + biases;
  }

  private long normParams() {
    return norm == NormKind.LAYERNORM ? 2L * dModel : dModel; // LayerNorm has a bias as well as a gain
  }

  /** Parameters of {@code group} in block {@code layer}; 0 for the embedding and LM head. */
  public long layerParams(int layer, ParamGroup group) {
    checkElementIndex(layer, layers, "layer");
    boolean moeLayer = isMoeLayer(layer);
    return switch (group) {
      case ATTENTION -> attention.params(dModel, bias);
      case NORM -> 2 * normParams();
      case DENSE_FFN -> moeLayer ? 0 : ffnParams(ffnSize);
      case ROUTER -> moeLayer ? (long) dModel * moe.experts() : 0;
      case ROUTED_EXPERTS -> moeLayer ? moe.experts() * expertParams() : 0;
      case SHARED_EXPERTS -> moeLayer ? moe.sharedExperts() * expertParams() : 0;
      case EMBEDDING, LM_HEAD -> 0;
    };
  }

  /**
   * Parameters of {@code group} in the whole model. LM_HEAD is the matrix the head reads, vocab x
   * d_model, even when it is tied to the embedding (see {@link #totalParams}).
   */
  public long params(ParamGroup group) {
    return switch (group) {
      case EMBEDDING -> (long) vocab * dModel + (positions == PositionKind.LEARNED ? (long) maxPositions * dModel : 0);
      case LM_HEAD -> (long) vocab * dModel;
      default -> {
        long sum = group == ParamGroup.NORM ? normParams() : 0; // the final norm
        for (int i = 0; i < layers; i++) {
          sum += layerParams(i, group);
        }
        yield sum;
      }
    };
  }

  /** Stored parameters: every group once, a tied LM head not again. */
  public long totalParams() {
    long sum = 0;
    for (ParamGroup g : ParamGroup.values()) {
      sum += g == ParamGroup.LM_HEAD && tiedEmbeddings ? 0 : params(g);
    }
    return sum;
  }

  /**
   * Parameters one token uses: everything but the routed experts, plus top-k experts in each MoE
   * block. The embedding table counts whole, as in the published active counts (Mixtral's 12.9B).
   */
  public long activeParams() {
    long routed = params(ParamGroup.ROUTED_EXPERTS);
    long chosen = moe == null ? 0 : (long) moeLayerCount() * moe.topK() * expertParams();
    return totalParams() - routed + chosen;
  }

  // ---- bytes ----

  private static double bytesPerParam(ParamGroup group, WeightFormat format) {
    return group.quantized() ? format.weights().bytesPerElement() : UNQUANTIZED_BYTES;
  }

  /** Bytes of {@code group} in block {@code layer} stored in {@code format}. */
  public double layerWeightBytes(int layer, ParamGroup group, WeightFormat format) {
    return layerParams(layer, group) * bytesPerParam(group, format);
  }

  /** Bytes of one expert in {@code format} (what an expert's GEMMs stream). */
  public double expertWeightBytes(WeightFormat format) {
    return expertParams() * bytesPerParam(ParamGroup.ROUTED_EXPERTS, format);
  }

  /** Bytes of {@code group} in the whole model (LM head counted even when tied, as {@link #params}). */
  public double weightBytes(ParamGroup group, WeightFormat format) {
    return params(group) * bytesPerParam(group, format);
  }

  /** Bytes the model occupies in memory in {@code format}: a tied LM head is stored once. */
  public double totalWeightBytes(WeightFormat format) {
    double sum = 0;
    for (ParamGroup g : ParamGroup.values()) {
      sum += g == ParamGroup.LM_HEAD && tiedEmbeddings ? 0 : weightBytes(g, format);
    }
    return sum;
  }

  /** KV-cache elements per token over all layers (MLA: the latent and rotary key, not K and V). */
  public long kvElementsPerToken() {
    return layers * attention.kvElementsPerToken();
  }

  /** KV-cache bytes per token per layer in {@code kv} (group scales included). */
  public double kvBytesPerTokenPerLayer(TensorFormat kv) {
    return attention.kvElementsPerToken() * kv.bytesPerElement();
  }

  /** KV-cache bytes per token over all layers in {@code kv}: models.md's column for BF16. */
  public double kvBytesPerToken(TensorFormat kv) {
    return kvElementsPerToken() * kv.bytesPerElement();
  }
}
