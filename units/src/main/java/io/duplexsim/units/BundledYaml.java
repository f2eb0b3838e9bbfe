package io.duplexsim.units;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A bundled YAML file of named presets (devices.yaml, links.yaml, systems.yaml): read once, looked up
 * by name, with checked accessors. A name the user gave that is not there is an InputException listing
 * the choices; a malformed bundled file is an IllegalStateException naming the file, preset and key.
 */
public final class BundledYaml {
  private final String resource;
  private final String file;
  private volatile JsonNode root;

  /** {@code resource} is the classpath path, e.g. {@code /io/duplexsim/units/devices.yaml}. */
  public BundledYaml(String resource) {
    this.resource = resource;
    this.file = resource.substring(resource.lastIndexOf('/') + 1);
  }

  /** Names of the presets, in file order. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    root().fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The preset called {@code name}, its keys checked; InputException naming the choices if absent. */
  public JsonNode preset(String kind, String name, Set<String> allowedKeys) {
    JsonNode p = name == null ? null : root().get(name);
    if (p == null) {
      throw new InputException("unknown " + kind + " '" + name + "'; expected one of " + names());
    }
    checkKeys(name, p, allowedKeys);
    return p;
  }

  public JsonNode required(String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw bad(where + ": missing '" + key + "'");
    }
    return v;
  }

  public String text(String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual()) {
      throw bad(where + ": missing text '" + key + "'");
    }
    return v.asText();
  }

  public double number(String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isNumber()) {
      throw bad(where + ": missing number '" + key + "'");
    }
    return v.asDouble();
  }

  public double positive(String where, JsonNode node, String key) {
    JsonNode v = required(where, node, key);
    if (!v.isNumber() || !(v.asDouble() > 0)) {
      throw bad(where + "." + key + " must be a positive number, got " + v);
    }
    return v.asDouble();
  }

  public int count(String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw bad(where + ": '" + key + "' must be a whole number, got " + v);
    }
    return v.asInt();
  }

  public void checkKeys(String where, JsonNode node, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      throw bad(where + " must be a map");
    }
    node.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        throw bad(where + ": unknown key '" + k + "'; expected one of " + allowed);
      }
    });
  }

  /** A malformed bundled file: the build is broken, not the user's input. */
  public IllegalStateException bad(String what) {
    return bad(what, null);
  }

  public IllegalStateException bad(String what, Throwable cause) {
    return new IllegalStateException(file + ": " + what, cause);
  }

  private JsonNode root() {
    JsonNode r = root;
    if (r == null) {
      try (InputStream in = BundledYaml.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing bundled resource " + resource);
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
