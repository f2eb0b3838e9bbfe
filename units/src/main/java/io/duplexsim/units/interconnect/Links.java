package io.duplexsim.units.interconnect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The registry of named link presets ({@code nvlink}, {@code infiniband}), from the bundled links.yaml. */
public final class Links {
  private static final String RESOURCE = "/io/duplexsim/units/links.yaml";
  private static final Set<String> PRESET_KEYS =
      Set.of("description", "source", "bandwidthGBps", "latencyNs", "pjPerBit", "maxDevices");
  private static volatile JsonNode root;

  private Links() {}

  /** Names of the bundled presets, in file order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    root().fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Loads a preset; InputException naming the choices if there is none called {@code name}. */
  public static LinkSpec load(String name) {
    JsonNode p = name == null ? null : root().get(name);
    if (p == null) {
      throw new InputException("unknown link '" + name + "'; expected one of " + names());
    }
    p.fieldNames().forEachRemaining(k -> {
      if (!PRESET_KEYS.contains(k)) {
        throw new IllegalStateException("links.yaml: " + name + ": unknown key '" + k + "'; expected one of "
            + PRESET_KEYS);
      }
    });
    return new LinkSpec(name, text(name, p, "description"), text(name, p, "source"), number(name, p, "bandwidthGBps"),
        number(name, p, "latencyNs"), number(name, p, "pjPerBit"), (int) number(name, p, "maxDevices"));
  }

  /** Loads a preset and applies {@code overrides} (key to value, keys from {@link LinkSpec#KEYS}) in order. */
  public static LinkSpec load(String name, Map<String, String> overrides) {
    LinkSpec l = load(name);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      l = l.with(e.getKey(), e.getValue());
    }
    return l;
  }

  private static String text(String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalStateException("links.yaml: " + where + ": missing text '" + key + "'");
    }
    return v.asText();
  }

  private static double number(String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isNumber()) {
      throw new IllegalStateException("links.yaml: " + where + ": missing number '" + key + "'");
    }
    return v.asDouble();
  }

  private static JsonNode root() {
    JsonNode r = root;
    if (r == null) {
      try (InputStream in = Links.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing bundled resource " + RESOURCE);
        }
        r = new ObjectMapper(new YAMLFactory()).readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      root = r;
    }
    return r;
  }
}
