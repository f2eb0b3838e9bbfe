package io.duplexsim.workloads.serving.cachecraft;

/**
 * Where a chunk-cache variant lives (Cache-Craft's storage hierarchy): a slice of the device's HBM set
 * aside from the paged KV, the host's DRAM behind the PCIe link, or NVMe behind it. Ordered fastest first;
 * eviction demotes a variant to the next tier.
 */
public enum StorageTier {
  HBM("hbm"),
  DRAM("dram"),
  NVME("nvme");

  private final String label;

  StorageTier(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The tier a variant evicted from this one goes to, or null (NVMe: dropped). */
  StorageTier below() {
    return this == NVME ? null : values()[ordinal() + 1];
  }
}
