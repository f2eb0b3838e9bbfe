package io.duplexsim.workloads.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.isa.NormKind;
import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face config.json into a {@link ModelSpec}. The fields config.json leaves to its
 * model_type (FFN gating, norm, biases, tying default) come from hf-model-types.yaml; an unknown
 * model_type is an error rather than a guess, since a wrong FFN matrix count changes every size.
 */
final class HuggingFaceConfig {
  private static final String TYPES = "/io/duplexsim/workloads/hf-model-types.yaml";
  private static volatile JsonNode types;

  private HuggingFaceConfig() {}

  static ModelSpec read(Path path) {
    String file = path.toString();
    JsonNode root;
    try {
      root = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(
          Files.readString(path));
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (JsonProcessingException e) {
      throw new InputException(file + ": line " + e.getLocation().getLineNr() + ": not valid JSON: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InputException(file + ": expected a JSON object (a Hugging Face config.json)");
    }
    return read(file, nameOf(path), new Fields(file, "", root));
  }

  /** config.json is named by its folder (…/Mixtral-8x7B/config.json), any other file by itself. */
  private static String nameOf(Path path) {
    String fileName = path.getFileName().toString();
    Path parent = path.toAbsolutePath().getParent();
    if (fileName.equals("config.json") && parent != null && parent.getFileName() != null) {
      return parent.getFileName().toString();
    }
    return fileName.substring(0, fileName.length() - ".json".length());
  }

  private static ModelSpec read(String file, String name, Fields f) {
    String modelType = f.text("model_type");
    JsonNode type = types().get(modelType);
    if (type == null) {
      List<String> known = new ArrayList<>();
      types().fieldNames().forEachRemaining(known::add);
      throw f.error("model_type", "'" + modelType + "' is not supported; expected one of " + known);
    }
    Fields t = new Fields(TYPES, modelType + ".", type);
    JsonNode renamed = type.get("keys");
    Map<String, String> keys = renamed == null ? Map.of()
        : new ObjectMapper().convertValue(renamed, new com.fasterxml.jackson.core.type.TypeReference<>() {});

    int layers = f.positiveInt("num_hidden_layers");
    int hidden = f.positiveInt("hidden_size");
    int heads = f.positiveInt("num_attention_heads");
    int kvHeads = f.positiveInt("num_key_value_heads", heads);
    if (heads % kvHeads != 0) {
      throw f.error("num_key_value_heads", "expected a divisor of num_attention_heads " + heads + ", got " + kvHeads);
    }
    MlaSpec mla = null;
    int headDim;
    if (f.has("kv_lora_rank")) {
      mla = new MlaSpec(f.nonNegativeInt("q_lora_rank", 0), f.positiveInt("kv_lora_rank"),
          f.positiveInt("qk_nope_head_dim"), f.positiveInt("qk_rope_head_dim"), f.positiveInt("v_head_dim"));
      headDim = mla.vHeadDim();
    } else if (f.has("head_dim")) {
      headDim = f.positiveInt("head_dim");
    } else {
      if (hidden % heads != 0) {
        throw f.error("hidden_size", hidden + " is not divisible by num_attention_heads " + heads
            + "; give head_dim");
      }
      headDim = hidden / heads;
    }

    boolean gated = t.text("ffn").equals("gated");
    String actKey = keys.getOrDefault("hidden_act", f.has("hidden_activation") ? "hidden_activation" : "hidden_act");
    String act = f.has(actKey) ? f.text(actKey) : t.text("act");
    FfnKind ffnKind = ffnKind(gated, act);
    if (ffnKind == null) {
      throw f.error(actKey, "expected " + (gated ? "silu, swish or gelu*" : "relu or gelu*") + " for model_type '"
          + modelType + "', got '" + act + "'");
    }
    String ffnKey = keys.getOrDefault("intermediate_size", "intermediate_size");
    int ffnSize = f.positiveInt(ffnKey);

    MoeSpec moe = null;
    String expertsKey = f.has("n_routed_experts") ? "n_routed_experts" : "num_local_experts";
    if (f.has(expertsKey)) {
      int experts = f.positiveInt(expertsKey);
      int topK = f.positiveInt("num_experts_per_tok");
      if (topK > experts) {
        throw f.error("num_experts_per_tok", "expected at most " + expertsKey + " " + experts + ", got " + topK);
      }
      if (f.positiveInt("moe_layer_freq", 1) != 1) {
        throw f.error("moe_layer_freq", "only 1 (MoE in every block after first_k_dense_replace) is supported");
      }
      moe = new MoeSpec(experts, topK, f.positiveInt("moe_intermediate_size", ffnSize),
          f.nonNegativeInt("n_shared_experts", 0), f.nonNegativeInt("first_k_dense_replace", 0), 1);
      if (moe.firstDenseLayers() > layers) {
        throw f.error("first_k_dense_replace", "expected at most num_hidden_layers " + layers + ", got "
            + moe.firstDenseLayers());
      }
    }

    PositionKind positions = t.choice("positions", PositionKind.class);
    int maxPositions = positions == PositionKind.LEARNED ? f.positiveInt("max_position_embeddings")
        : f.nonNegativeInt("max_position_embeddings", 0);
    return new ModelSpec(name, modelType + " model from " + file, file, layers, hidden, f.positiveInt("vocab_size"),
        new AttentionSpec(heads, kvHeads, headDim, mla), ffnKind, ffnSize, moe, t.choice("norm", NormKind.class),
        t.choice("bias", BiasKind.class), positions, maxPositions, f.bool("tie_word_embeddings", t.bool("tied")));
  }

  /** The FFN kind for an HF activation name, or null when it does not fit the gating. */
  private static FfnKind ffnKind(boolean gated, String act) {
    boolean gelu = act.startsWith("gelu");
    if (gated) {
      return act.equals("silu") || act.equals("swish") ? FfnKind.SWIGLU : gelu ? FfnKind.GEGLU : null;
    }
    return act.equals("relu") ? FfnKind.RELU : gelu ? FfnKind.GELU : null;
  }

  private static JsonNode types() {
    JsonNode r = types;
    if (r == null) {
      try (InputStream in = HuggingFaceConfig.class.getResourceAsStream(TYPES)) {
        if (in == null) {
          throw new IllegalStateException("missing bundled resource " + TYPES);
        }
        r = new ObjectMapper(new YAMLFactory()).readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      types = r;
    }
    return r;
  }
}
