package io.duplexsim.workloads.model;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;

/**
 * A Relaxed Recursive Transformer made from an L-layer model (arXiv 2410.20672): a block of
 * K = L / loops unique layers looped {@code loops} times, each (layer, loop) with its own LoRA of rank
 * {@code loraRank} on every linear layer of the block (Q, K, V, O and the FFN's matrices); rank 0 is the
 * strict recursive model. The KV cache stays per (layer, loop), so a token caches as much as in the
 * L-layer model. Adapters are kept 16-bit whatever the weight format (they are not quantized).
 *
 * @param loops how many times the shared block runs, B
 * @param loraRank rank r of each per-(layer, loop) LoRA, 0 for none
 */
public record RecursiveSpec(int loops, int loraRank) {
  /** Adapters' element size: 16-bit, like the other tensors no weight format quantizes. */
  public static final TensorFormat ADAPTER_FORMAT = TensorFormat.BF16;

  public RecursiveSpec {
    if (loops < 1) {
      throw new InputException("recursive-loops must be >= 1, got " + loops);
    }
    if (loraRank < 0) {
      throw new InputException("recursive-lora-rank must be >= 0, got " + loraRank);
    }
  }

  /** InputException naming the key unless {@code model} can be made recursive with these loops. */
  public void requireFits(ModelSpec model) {
    if (model.layers() % loops != 0) {
      throw new InputException("recursive-loops (" + loops + ") must divide the " + model.layers()
          + " layers of model '" + model.name() + "'");
    }
    if (model.isMoe()) {
      throw new InputException("recursive-loops: model '" + model.name() + "' has MoE blocks; recursion is modelled"
          + " for dense models only");
    }
    if (model.attention().mla() != null) {
      throw new InputException("recursive-loops: model '" + model.name() + "' uses MLA; recursion is modelled for"
          + " standard attention only");
    }
  }

  /** K, the unique layers of the shared block. */
  public int sharedLayers(ModelSpec model) {
    requireFits(model);
    return model.layers() / loops;
  }

  /** The shared block as a model of K layers (what the weights hold, adapters aside). */
  public ModelSpec sharedModel(ModelSpec model) {
    return new ModelSpec(model.name() + " (" + sharedLayers(model) + " shared layers x " + loops + " loops)",
        model.description(), model.source(), sharedLayers(model), model.dModel(), model.vocab(), model.attention(),
        model.ffnKind(), model.ffnSize(), model.moe(), model.norm(), model.bias(), model.positions(),
        model.maxPositions(), model.tiedEmbeddings());
  }

  /** Sum over the block's adapted matrices of (d_in + d_out): Q, K, V, O and the FFN's gate/up/down. */
  public static long adaptedInOutSum(ModelSpec model) {
    long d = model.dModel();
    long q = (long) model.attention().heads() * model.attention().headDim();
    long kv = (long) model.attention().kvHeads() * model.attention().headDim();
    long attention = (d + q) + 2 * (d + kv) + (q + d);
    long ffn = (long) model.ffnKind().matrices() * (d + model.ffnSize());
    return attention + ffn;
  }

  /** Adapter parameters of one (layer, loop): r x (d_in + d_out) per adapted matrix. */
  public long adapterParamsPerLayerLoop(ModelSpec model) {
    return loraRank * adaptedInOutSum(model);
  }

  /** Adapter bytes of the whole model: one adapter set per (layer, loop), L sets in all. */
  public double adapterBytes(ModelSpec model) {
    requireFits(model);
    return (double) model.layers() * adapterParamsPerLayerLoop(model) * ADAPTER_FORMAT.bytesPerElement();
  }

  /** LoRA FLOPs one token adds over its L layer passes: 2 r (d_in + d_out) per adapted matrix. */
  public double loraFlopsPerToken(ModelSpec model) {
    return 2.0 * model.layers() * adapterParamsPerLayerLoop(model);
  }

  /** Linear-layer FLOPs of one token over the L layer passes without adapters (2 per weight). */
  public static double baseLinearFlopsPerToken(ModelSpec model) {
    return 2.0 * model.layers() * (model.layerParams(0, ParamGroup.ATTENTION) + model.layerParams(0,
        ParamGroup.DENSE_FFN));
  }

  /** Weight bytes the recursive model stores: the shared block's model plus every adapter. */
  public double totalWeightBytes(ModelSpec model, WeightFormat format) {
    return sharedModel(model).totalWeightBytes(format) + adapterBytes(model);
  }
}
