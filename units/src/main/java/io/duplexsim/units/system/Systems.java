package io.duplexsim.units.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.interconnect.Fabric;
import io.duplexsim.units.interconnect.LinkSpec;
import io.duplexsim.units.interconnect.Links;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The registry of named system presets ({@code duplex-1x4}, {@code gpu-2x8}, ...), from the bundled systems.yaml. */
public final class Systems {
  private static final String RESOURCE = "/io/duplexsim/units/systems.yaml";
  private static final Set<String> PRESET_KEYS = Set.of("description", "device", "nodes", "devicesPerNode", "links");
  private static final Set<String> LINK_KEYS = Set.of("intraNode", "interNode");
  private static volatile JsonNode root;

  private Systems() {}

  /** Names of the bundled presets, in file order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    root().fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Loads a preset; InputException naming the choices if there is none called {@code name}. */
  public static SystemPreset load(String name) {
    JsonNode p = name == null ? null : root().get(name);
    if (p == null) {
      throw new InputException("unknown system '" + name + "'; expected one of " + names());
    }
    checkKeys(name, p, PRESET_KEYS);
    JsonNode links = p.get("links");
    checkKeys(name + ".links", links, LINK_KEYS);
    Fabric fabric = new Fabric(count(name, p, "devicesPerNode"), count(name, p, "nodes"),
        Links.load(text(name + ".links", links, "intraNode")), Links.load(text(name + ".links", links, "interNode")));
    return new SystemPreset(name, text(name, p, "description"), Devices.load(text(name, p, "device")), fabric);
  }

  /**
   * A system of {@code nodes} x {@code devicesPerNode} {@code device}s with the default links
   * (nvlink, infiniband); InputException for an unknown device or a bad count.
   */
  public static SystemPreset of(String device, int devicesPerNode, int nodes) {
    return of(device, devicesPerNode, nodes, Links.load("nvlink"), Links.load("infiniband"));
  }

  /** As {@link #of(String, int, int)} with the given links. */
  public static SystemPreset of(String device, int devicesPerNode, int nodes, LinkSpec intraNode, LinkSpec interNode) {
    DevicePreset d = Devices.load(device);
    Fabric fabric = new Fabric(devicesPerNode, nodes, intraNode, interNode);
    String name = device + "-" + nodes + "x" + devicesPerNode;
    return new SystemPreset(name, nodes + " node(s) x " + devicesPerNode + " " + device + " devices", d, fabric);
  }

  /** The same system with other links (overrides from the command line or a config). */
  public static SystemPreset withLinks(SystemPreset s, LinkSpec intraNode, LinkSpec interNode) {
    return new SystemPreset(s.name(), s.description(), s.device(),
        new Fabric(s.devicesPerNode(), s.nodes(), intraNode, interNode));
  }

  private static int count(String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalStateException("systems.yaml: " + where + ": '" + key + "' must be a whole number, got " + v);
    }
    return v.asInt();
  }

  private static String text(String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalStateException("systems.yaml: " + where + ": missing text '" + key + "'");
    }
    return v.asText();
  }

  private static void checkKeys(String where, JsonNode node, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      throw new IllegalStateException("systems.yaml: " + where + " must be a map");
    }
    node.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        throw new IllegalStateException("systems.yaml: " + where + ": unknown key '" + k + "'; expected one of "
            + allowed);
      }
    });
  }

  private static JsonNode root() {
    JsonNode r = root;
    if (r == null) {
      try (InputStream in = Systems.class.getResourceAsStream(RESOURCE)) {
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
