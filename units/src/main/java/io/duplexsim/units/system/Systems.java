package io.duplexsim.units.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.BundledYaml;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import io.duplexsim.units.interconnect.Fabric;
import io.duplexsim.units.interconnect.LinkSpec;
import io.duplexsim.units.interconnect.Links;
import java.util.List;
import java.util.Set;

/** The registry of named system presets ({@code duplex-1x4}, {@code gpu-2x8}, ...), from the bundled systems.yaml. */
public final class Systems {
  private static final BundledYaml FILE = new BundledYaml("/io/duplexsim/units/systems.yaml");
  private static final Set<String> PRESET_KEYS = Set.of("description", "device", "nodes", "devicesPerNode", "links");
  private static final Set<String> LINK_KEYS = Set.of("intraNode", "interNode");

  private Systems() {}

  /** Names of the bundled presets, in file order. */
  public static List<String> names() {
    return FILE.names();
  }

  /** Loads a preset; InputException naming the choices if there is none called {@code name}. */
  public static SystemPreset load(String name) {
    JsonNode p = FILE.preset("system", name, PRESET_KEYS);
    JsonNode links = p.get("links");
    FILE.checkKeys(name + ".links", links, LINK_KEYS);
    Fabric fabric = new Fabric(FILE.count(name, p, "devicesPerNode"), FILE.count(name, p, "nodes"),
        Links.load(FILE.text(name + ".links", links, "intraNode")),
        Links.load(FILE.text(name + ".links", links, "interNode")));
    return new SystemPreset(name, FILE.text(name, p, "description"), Devices.load(FILE.text(name, p, "device")), fabric);
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




}
