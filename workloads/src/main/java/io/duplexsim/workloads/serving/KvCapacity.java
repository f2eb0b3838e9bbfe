package io.duplexsim.workloads.serving;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.memory.standard.Standards;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.workloads.model.ModelSpec;

/**
 * The paged KV cache of one serving replica: how many blocks it holds and what a block weighs on each
 * device. A replica is the group of devices that runs one copy of the model (tensor parallelism for
 * attention and dense layers, expert parallelism or expert tensor parallelism for MoE); data-parallel
 * replicas each have their own, and the engine simulates one replica.
 *
 * <p>How the devices divide KV: attention is tensor-parallel over the replica's devices by KV head, so
 * every device holds its heads' share of every token, and the replica's block count is what one
 * device's free memory holds. With more devices than KV heads the heads are replicated (as vLLM does), so
 * a device holds one head. MLA's latent cache has no heads to split and is replicated. Experts hold no KV,
 * so expert parallelism only changes the weights each device keeps.
 *
 * @param blocks KV blocks in the replica
 * @param blockSize tokens per block
 * @param bytesPerBlockPerDevice bytes one block occupies on each device (what a swap moves per device)
 * @param devices devices in the replica (for per-device utilisation)
 * @param nodes data-parallel nodes the blocks are split over: each node's devices hold the KV of the
 *     requests placed on that node, so a request's blocks all come from its node's share
 */
public record KvCapacity(long blocks, int blockSize, double bytesPerBlockPerDevice, int devices, int nodes) {
  public KvCapacity {
    if (blocks < nodes || blockSize < 1 || !(bytesPerBlockPerDevice >= 0) || devices < 1 || nodes < 1) {
      throw new IllegalArgumentException("KV capacity needs nodes >= 1, blocks >= nodes, blockSize >= 1, bytes >= 0"
          + " and devices >= 1, got " + nodes + ", " + blocks + ", " + blockSize + ", " + bytesPerBlockPerDevice + ", "
          + devices);
    }
  }

  /** One node's capacity. */
  public KvCapacity(long blocks, int blockSize, double bytesPerBlockPerDevice, int devices) {
    this(blocks, blockSize, bytesPerBlockPerDevice, devices, 1);
  }

  /** The same capacity less {@code blocks} blocks (taken evenly from the nodes). */
  public KvCapacity less(long taken) {
    return new KvCapacity(blocks - taken, blockSize, bytesPerBlockPerDevice, devices, nodes);
  }

  /** Node {@code node}'s share of the blocks (the first nodes get one more when they do not divide evenly). */
  public long nodeBlocks(int node) {
    return blocks / nodes + (node < blocks % nodes ? 1 : 0);
  }

  public long tokens() {
    return blocks * blockSize;
  }

  /** Blocks that hold {@code tokens} tokens. */
  public long blocksFor(long tokens) {
    return (tokens + blockSize - 1) / blockSize;
  }

  /**
   * vLLM's rule: (device memory x utilisation - weights - activation reserve) / (KV bytes per token x
   * block size), per device of a replica of {@code devices} devices that shard the weights evenly.
   *
   * @param activationReserveBytes per device, for activations and workspace (vLLM measures it with a
   *     profiling run; here the caller gives it)
   */
  public static KvCapacity forModel(ModelSpec model, WeightFormat weights, TensorFormat kv, double deviceMemoryBytes,
      int devices, double activationReserveBytes, ServingOptions options) {
    if (devices < 1) {
      throw new InputException("devices per replica must be >= 1, got " + devices);
    }
    if (!(activationReserveBytes >= 0)) {
      throw new InputException("activation reserve must be >= 0 bytes, got " + activationReserveBytes);
    }
    int kvHeads = model.attention().kvHeads();
    int kvShards;
    if (model.attention().mla() != null) {
      kvShards = 1;
    } else if (devices % kvHeads == 0 || kvHeads % devices == 0) {
      kvShards = Math.min(devices, kvHeads);
    } else {
      throw new InputException("tensor parallelism of " + devices + " devices does not divide and is not a multiple of "
          + model.name() + "'s " + kvHeads + " KV heads");
    }
    return forDevices(model, kv, deviceMemoryBytes, model.totalWeightBytes(weights) / devices,
        model.attention().mla() != null ? 1 : model.attention().kvHeads() / kvShards, devices, 1, activationReserveBytes,
        options);
  }

  /**
   * vLLM's rule per device, for a system that keeps a replica of the weights in each of {@code nodes}
   * nodes (data parallelism) and splits KV heads over a node's devices: each device holds
   * {@code kvHeadsPerDevice} of the model's KV heads (MLA's latent cache whole) for the requests of
   * its node; the nodes' blocks add up, as their requests are separate.
   *
   * @param weightBytesPerDevice what the most loaded device stores (the parallel plan's figure)
   */
  public static KvCapacity forDevices(ModelSpec model, TensorFormat kv, double deviceMemoryBytes,
      double weightBytesPerDevice, int kvHeadsPerDevice, int devicesPerNode, int nodes, double activationReserveBytes,
      ServingOptions options) {
    if (!(activationReserveBytes >= 0)) {
      throw new InputException("activation reserve must be >= 0 bytes, got " + activationReserveBytes);
    }
    double share = model.attention().mla() != null ? 1.0 : (double) kvHeadsPerDevice / model.attention().kvHeads();
    double usable = deviceMemoryBytes * options.gpuMemoryUtilization();
    double free = usable - weightBytesPerDevice - activationReserveBytes;
    double perBlock = model.kvBytesPerToken(kv) * share * options.blockSize();
    long blocks = (long) Math.floor(free / perBlock);
    if (blocks < 1) {
      throw new InputException(String.format(java.util.Locale.ROOT,
          "%s does not fit: per device %.2f GB usable (%.2f GB x gpu-memory-utilization %s) - %.2f GB weights"
              + " - %.2f GB activation reserve leaves no room for one KV block of %.1f KB",
          model.name(), usable / 1e9, deviceMemoryBytes / 1e9, options.gpuMemoryUtilization(),
          weightBytesPerDevice / 1e9, activationReserveBytes / 1e9, perBlock / 1e3));
    }
    return new KvCapacity(blocks * nodes, options.blockSize(), perBlock, devicesPerNode * nodes, nodes);
  }

  /** A device's memory: its stacks times the capacity of one stack of its standard. */
  public static double deviceMemoryBytes(DevicePreset device) {
    return (double) device.stacks() * Standards.load(device.standard()).org().bytesPerStack();
  }
}
