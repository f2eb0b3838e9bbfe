package io.duplexsim.workloads.model;

import io.duplexsim.isa.NormKind;
import java.util.Set;

/** Reads one model preset in the models.yaml format (the header of that file lists the keys). */
final class PresetReader {
  private static final Set<String> KEYS = Set.of("description", "source", "layers", "dModel", "vocab", "attention",
      "ffn", "moe", "norm", "bias", "positions", "maxPositions", "tiedEmbeddings");
  private static final Set<String> ATTENTION_KEYS = Set.of("heads", "kvHeads", "headDim", "mla");
  private static final Set<String> MLA_KEYS = Set.of("qLoraRank", "kvLoraRank", "qkNopeHeadDim", "qkRopeHeadDim",
      "vHeadDim");
  private static final Set<String> FFN_KEYS = Set.of("kind", "size");
  private static final Set<String> MOE_KEYS = Set.of("experts", "topK", "expertFfnSize", "sharedExperts",
      "firstDenseLayers", "moeEvery");

  private PresetReader() {}

  static ModelSpec read(String name, Fields f) {
    f.onlyKeys(KEYS);
    int layers = f.positiveInt("layers");
    int dModel = f.positiveInt("dModel");

    Fields a = f.map("attention").onlyKeys(ATTENTION_KEYS);
    int heads = a.positiveInt("heads");
    int kvHeads = a.positiveInt("kvHeads");
    if (heads % kvHeads != 0) {
      throw a.error("kvHeads", "expected a divisor of heads " + heads + ", got " + kvHeads);
    }
    MlaSpec mla = null;
    if (a.has("mla")) {
      Fields m = a.map("mla").onlyKeys(MLA_KEYS);
      mla = new MlaSpec(m.nonNegativeInt("qLoraRank"), m.positiveInt("kvLoraRank"), m.positiveInt("qkNopeHeadDim"),
          m.positiveInt("qkRopeHeadDim"), m.positiveInt("vHeadDim"));
    }
    AttentionSpec attention = new AttentionSpec(heads, kvHeads, a.positiveInt("headDim"), mla);

    Fields ffn = f.map("ffn").onlyKeys(FFN_KEYS);
    FfnKind ffnKind = ffn.choice("kind", FfnKind.class);
    int ffnSize = ffn.positiveInt("size");
    MoeSpec moe = null;
    if (f.has("moe")) {
      Fields m = f.map("moe").onlyKeys(MOE_KEYS);
      int experts = m.positiveInt("experts");
      int topK = m.positiveInt("topK");
      if (topK > experts) {
        throw m.error("topK", "expected at most experts " + experts + ", got " + topK);
      }
      moe = new MoeSpec(experts, topK, m.positiveInt("expertFfnSize", ffnSize), m.nonNegativeInt("sharedExperts", 0),
          m.nonNegativeInt("firstDenseLayers", 0), m.positiveInt("moeEvery", 1));
    }

    PositionKind positions = f.choice("positions", PositionKind.class, PositionKind.ROTARY);
    int maxPositions = positions == PositionKind.LEARNED ? f.positiveInt("maxPositions") : f.nonNegativeInt(
        "maxPositions", 0);
    return new ModelSpec(name, f.text("description"), f.text("source"), layers, dModel, f.positiveInt("vocab"),
        attention, ffnKind, ffnSize, moe, f.choice("norm", NormKind.class), f.choice("bias", BiasKind.class,
        BiasKind.NONE), positions, maxPositions, f.bool("tiedEmbeddings"));
  }
}
