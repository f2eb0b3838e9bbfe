package io.duplexsim.workloads.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model registry: the bundled presets of models.yaml by name, or a Hugging Face config.json by
 * path. {@code --model} values go through {@link #load}.
 */
public final class Models {
  private static final String RESOURCE = "/io/duplexsim/workloads/models.yaml";
  private static volatile Map<String, ModelSpec> presets;

  private Models() {}

  /** Names of the bundled presets, in file order. */
  public static List<String> names() {
    return List.copyOf(presets().keySet());
  }

  /** A preset by name, or a Hugging Face config.json when {@code nameOrPath} ends in ".json". */
  public static ModelSpec load(String nameOrPath) {
    if (nameOrPath != null && nameOrPath.endsWith(".json")) {
      return fromHuggingFace(Path.of(nameOrPath));
    }
    return preset(nameOrPath);
  }

  /** A bundled preset; InputException listing the presets if there is none called {@code name}. */
  public static ModelSpec preset(String name) {
    ModelSpec m = name == null ? null : presets().get(name);
    if (m == null) {
      throw new InputException("unknown model '" + name + "'; expected one of " + names()
          + " or a Hugging Face config.json path");
    }
    return m;
  }

  /**
   * A model from a Hugging Face config.json. InputException naming the file and key for a missing
   * or mistyped key, inconsistent heads, an unsupported model_type, or JSON that does not parse
   * (with its line).
   */
  public static ModelSpec fromHuggingFace(Path configJson) {
    return HuggingFaceConfig.read(configJson);
  }

  private static Map<String, ModelSpec> presets() {
    Map<String, ModelSpec> p = presets;
    if (p == null) {
      p = readPresets();
      presets = p;
    }
    return p;
  }

  private static Map<String, ModelSpec> readPresets() {
    JsonNode root;
    try (InputStream in = Models.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled resource " + RESOURCE);
      }
      root = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, ModelSpec> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), PresetReader.read(e.getKey(), new Fields("models.yaml", e.getKey() + ".", e.getValue())));
    }
    return Collections.unmodifiableMap(out);
  }
}
