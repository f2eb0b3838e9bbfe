package io.duplexsim.workloads.serving.speculative;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.ServingOptions;
import java.util.Locale;

/**
 * The KV capacity of a replica that also holds a draft model: vLLM's rule (as
 * {@link KvCapacity#forDevices}) with the draft's weights taken off each device's free memory and each
 * block holding the draft's KV for its tokens beside the target's (the draft, sharded like the target,
 * keeps the KV of every token it has seen, at most what the target holds).
 */
public final class DraftCapacity {
  private DraftCapacity() {}

  /**
   * @param targetWeightBytesPerDevice the target's weights on the most loaded device
   * @param draftWeightBytesPerDevice the draft's, sharded by its own parallel plan
   * @param targetKvHeadsPerDevice the target's KV heads per device (MLA: ignored)
   * @param draftKvHeadsPerDevice the draft's
   */
  public static KvCapacity forDevices(ModelSpec target, ModelSpec draft, TensorFormat kv, double deviceMemoryBytes,
      double targetWeightBytesPerDevice, double draftWeightBytesPerDevice, int targetKvHeadsPerDevice,
      int draftKvHeadsPerDevice, int devicesPerNode, int nodes, double activationReserveBytes, ServingOptions options) {
    if (!(activationReserveBytes >= 0)) {
      throw new InputException("activation reserve must be >= 0 bytes, got " + activationReserveBytes);
    }
    double usable = deviceMemoryBytes * options.gpuMemoryUtilization();
    double free = usable - targetWeightBytesPerDevice - draftWeightBytesPerDevice - activationReserveBytes;
    double perToken = target.kvBytesPerToken(kv) * share(target, targetKvHeadsPerDevice)
        + draft.kvBytesPerToken(kv) * share(draft, draftKvHeadsPerDevice);
    double perBlock = perToken * options.blockSize();
    long blocks = (long) Math.floor(free / perBlock);
    if (blocks < 1) {
      throw new InputException(String.format(Locale.ROOT,
          "%s: draft model %s does not fit beside %s: per device %.2f GB usable - %.2f GB target weights - %.2f GB"
              + " draft weights - %.2f GB activation reserve leaves no room for one KV block of %.1f KB (target and"
              + " draft KV)", SpeculativeConfig.MODEL_KEY, draft.name(), target.name(), usable / 1e9,
          targetWeightBytesPerDevice / 1e9, draftWeightBytesPerDevice / 1e9, activationReserveBytes / 1e9,
          perBlock / 1e3));
    }
    return new KvCapacity(blocks * nodes, options.blockSize(), perBlock, devicesPerNode * nodes, nodes);
  }

  private static double share(ModelSpec model, int kvHeadsPerDevice) {
    return model.attention().mla() != null ? 1.0 : (double) kvHeadsPerDevice / model.attention().kvHeads();
  }
}
