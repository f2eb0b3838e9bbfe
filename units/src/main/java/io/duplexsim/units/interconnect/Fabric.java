package io.duplexsim.units.interconnect;

import io.duplexsim.sim.InputException;

/**
 * The links of a system: {@code nodes} nodes of {@code devicesPerNode} devices. Inside a node every
 * device has one port of {@code intraNode} into a non-blocking switch (NVSwitch); across nodes every
 * device has one port of {@code interNode} (its own NIC) into a non-blocking fabric. Device ids run
 * node by node: device d sits in node d / devicesPerNode.
 */
public record Fabric(int devicesPerNode, int nodes, LinkSpec intraNode, LinkSpec interNode) {
  public Fabric {
    if (devicesPerNode <= 0) {
      throw new InputException("devices per node must be positive, got " + devicesPerNode);
    }
    if (nodes <= 0) {
      throw new InputException("nodes must be positive, got " + nodes);
    }
    if (intraNode.maxDevices() > 0 && devicesPerNode > intraNode.maxDevices()) {
      throw new InputException("devices per node must be at most " + intraNode.maxDevices() + " for "
          + intraNode.name() + " (one switch domain), got " + devicesPerNode);
    }
    if (interNode.maxDevices() > 0 && (long) nodes * devicesPerNode > interNode.maxDevices()) {
      throw new InputException("at most " + interNode.maxDevices() + " devices can share " + interNode.name()
          + ", got " + nodes + " x " + devicesPerNode);
    }
  }

  /** The default links: {@code nvlink} inside a node, {@code infiniband} across nodes. */
  public static Fabric of(int devicesPerNode, int nodes) {
    return new Fabric(devicesPerNode, nodes, Links.load("nvlink"), Links.load("infiniband"));
  }

  public int devices() {
    return devicesPerNode * nodes;
  }

  public int nodeOf(int device) {
    return device / devicesPerNode;
  }

  public boolean sameNode(int a, int b) {
    return nodeOf(a) == nodeOf(b);
  }
}
