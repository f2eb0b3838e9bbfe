package io.duplexsim.units.system;

import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.interconnect.Fabric;
import io.duplexsim.units.interconnect.LinkSpec;

/**
 * A system: {@code nodes} nodes of {@code devicesPerNode} devices of one preset, joined by an
 * intra-node link (NVLink through a switch) and an inter-node link (one InfiniBand NIC per device).
 * Device ids run node by node. Load a bundled one with {@link Systems#load}, or build one with
 * {@link Systems#of}.
 *
 * @param name preset name ({@code duplex-2x8}), or one made up from the parts
 * @param description one-line description
 * @param device the device every slot holds
 * @param fabric the links and the node shape
 */
public record SystemPreset(String name, String description, DevicePreset device, Fabric fabric) {

  public int devicesPerNode() {
    return fabric.devicesPerNode();
  }

  public int nodes() {
    return fabric.nodes();
  }

  public int devices() {
    return fabric.devices();
  }

  public LinkSpec intraNode() {
    return fabric.intraNode();
  }

  public LinkSpec interNode() {
    return fabric.interNode();
  }
}
