package io.duplexsim.workloads.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.duplexsim.isa.Names;
import io.duplexsim.sim.InputException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from a parsed YAML/JSON map with the one error format of the model readers:
 * {@code FILE: KEY: expected ..., got ...}. {@code file} names the file, {@code prefix} the map's
 * position in it ("mixtral-8x7b.attention." or "" for a top-level map).
 */
final class Fields {
  private final String file;
  private final String prefix;
  private final JsonNode node;

  Fields(String file, String prefix, JsonNode node) {
    this.file = file;
    this.prefix = prefix;
    this.node = node;
  }

  String file() {
    return file;
  }

  InputException error(String key, String message) {
    return new InputException(file + ": " + prefix + key + ": " + message);
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  private JsonNode required(String key) {
    if (!has(key)) {
      throw new InputException(file + ": missing key '" + prefix + key + "'");
    }
    return node.get(key);
  }

  /** A nested map. */
  Fields map(String key) {
    JsonNode v = required(key);
    if (!v.isObject()) {
      throw error(key, "expected a map, got " + v);
    }
    return new Fields(file, prefix + key + ".", v);
  }

  /** Rejects keys outside {@code allowed}, so a misspelt key is not silently ignored. */
  Fields onlyKeys(Set<String> allowed) {
    node.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        throw error(k, "unknown key; expected one of " + new TreeSet<>(allowed));
      }
    });
    return this;
  }

  int positiveInt(String key) {
    int v = nonNegativeInt(key);
    if (v == 0) {
      throw error(key, "expected a positive integer, got 0");
    }
    return v;
  }

  int positiveInt(String key, int fallback) {
    return has(key) ? positiveInt(key) : fallback;
  }

  int nonNegativeInt(String key) {
    JsonNode v = required(key);
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
      throw error(key, "expected a non-negative integer, got " + v);
    }
    return v.intValue();
  }

  int nonNegativeInt(String key, int fallback) {
    return has(key) ? nonNegativeInt(key) : fallback;
  }

  boolean bool(String key) {
    JsonNode v = required(key);
    if (!v.isBoolean()) {
      throw error(key, "expected true or false, got " + v);
    }
    return v.booleanValue();
  }

  boolean bool(String key, boolean fallback) {
    return has(key) ? bool(key) : fallback;
  }

  String text(String key) {
    JsonNode v = required(key);
    if (!v.isTextual()) {
      throw error(key, "expected a string, got " + v);
    }
    return v.textValue();
  }

  /** An enum constant by its {@link Names} form (rmsnorm, swiglu, ...). */
  <E extends Enum<E>> E choice(String key, Class<E> type) {
    String text = text(key);
    E e = Names.parse(type, text);
    if (e == null) {
      throw error(key, "expected one of " + Names.choices(type) + ", got '" + text + "'");
    }
    return e;
  }

  <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
    return has(key) ? choice(key, type) : fallback;
  }
}
