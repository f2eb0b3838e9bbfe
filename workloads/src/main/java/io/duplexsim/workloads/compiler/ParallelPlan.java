package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.ParamGroup;
import io.duplexsim.workloads.model.MoeSpec;
import java.util.stream.IntStream;

/**
 * How a model is split over a system's devices, after DeepSpeed-MoE as the Duplex paper's GPU baseline
 * uses it: tensor parallelism (TP) over a node's devices for attention and dense FC (query heads and
 * columns split; row-parallel GEMMs all-reduced), data parallelism across nodes (requests split), and
 * experts either expert-parallel over all devices (EP; with more devices than experts, each expert gets
 * devices/experts devices with TP) or, for Duplex+PE+ET, tensor-parallel over a node's devices with
 * experts spread over nodes (ET). Device ids run node by node, as in {@link SystemPreset}.
 *
 * <p>KV heads: split when TP divides them; when TP is a multiple of them each device keeps one KV head,
 * replicated over TP / kvHeads devices (as vLLM does), so KV bytes per device do not shrink further.
 *
 * @param tp devices per node (the TP degree)
 * @param nodes nodes (the DP degree)
 * @param headsPerDevice query heads per device
 * @param kvHeadsPerDevice KV heads per device
 * @param ffnColumns dense-FFN columns per device (0 when every block is MoE)
 * @param vocabColumns LM-head columns per device (vocab-parallel, the last shard may be short)
 * @param expertColumns columns of each expert a holder computes
 * @param expertHolders for each expert, the devices that compute it (one with EP; several with TP)
 * @param expertsOfDevice for each device, the experts it holds, ascending
 */
public record ParallelPlan(int tp, int nodes, int headsPerDevice, int kvHeadsPerDevice, int ffnColumns, int vocabColumns,
    int expertColumns, boolean expertTensorParallel, int[][] expertHolders, int[][] expertsOfDevice) {

  /** Validates and builds the split; InputException naming the numbers that do not fit. */
  public static ParallelPlan of(ModelSpec model, SystemPreset system, Strategy strategy) {
    int tp = system.devicesPerNode();
    int nodes = system.nodes();
    int devices = system.devices();
    int heads = model.attention().heads();
    int kvHeads = model.attention().kvHeads();
    if (heads % tp != 0) {
      throw new InputException("tensor parallelism over " + tp + " devices per node does not divide the "
          + heads + " query heads of model '" + model.name() + "'");
    }
    int kvPerDevice;
    if (kvHeads % tp == 0) {
      kvPerDevice = kvHeads / tp;
    } else if (tp % kvHeads == 0) {
      kvPerDevice = 1;
    } else {
      throw new InputException("tensor parallelism over " + tp + " devices per node neither divides nor is a"
          + " multiple of the " + kvHeads + " KV heads of model '" + model.name() + "'");
    }
    int ffnColumns = 0;
    if (model.moeLayerCount() < model.layers()) {
      ffnColumns = split(model.ffnSize(), tp, "the dense FFN size", model);
    }
    int vocabColumns = (model.vocab() + tp - 1) / tp;
    MoeSpec moe = model.moe();
    if (moe == null) {
      return new ParallelPlan(tp, nodes, heads / tp, kvPerDevice, ffnColumns, vocabColumns, 0, false, new int[0][],
          new int[devices][0]);
    }
    int experts = moe.experts();
    int[][] holders = new int[experts][];
    int columns;
    if (strategy.expertTensorParallel()) {
      if (experts % nodes != 0) {
        throw new InputException("expert tensor parallelism spreads experts over nodes: " + experts
            + " experts of model '" + model.name() + "' do not divide evenly over " + nodes + " nodes");
      }
      columns = split(moe.expertFfnSize(), tp, "the expert FFN size", model);
      int perNode = experts / nodes;
      for (int e = 0; e < experts; e++) {
        int node = e / perNode;
        holders[e] = IntStream.range(node * tp, (node + 1) * tp).toArray();
      }
    } else if (devices <= experts) {
      if (experts % devices != 0) {
        throw new InputException("expert parallelism: " + experts + " experts of model '" + model.name()
            + "' do not spread evenly over " + devices + " devices");
      }
      columns = moe.expertFfnSize();
      int perDevice = experts / devices;
      for (int e = 0; e < experts; e++) {
        holders[e] = new int[] {e / perDevice};
      }
    } else {
      if (devices % experts != 0) {
        throw new InputException("expert parallelism: " + devices + " devices are not a multiple of the " + experts
            + " experts of model '" + model.name() + "' (each expert gets devices / experts devices)");
      }
      int group = devices / experts;
      columns = split(moe.expertFfnSize(), group, "the expert FFN size", model);
      for (int e = 0; e < experts; e++) {
        holders[e] = IntStream.range(e * group, (e + 1) * group).toArray();
      }
    }
    int[][] of = new int[devices][];
    for (int d = 0; d < devices; d++) {
      final int dev = d;
      of[d] = IntStream.range(0, experts).filter(e -> IntStream.of(holders[e]).anyMatch(h -> h == dev)).toArray();
    }
    return new ParallelPlan(tp, nodes, heads / tp, kvPerDevice, ffnColumns, vocabColumns, columns,
        strategy.expertTensorParallel(), holders, of);
  }

  private static int split(int size, int ways, String what, ModelSpec model) {
    if (size % ways != 0) {
      throw new InputException("tensor parallelism over " + ways + " devices does not divide " + what + " ("
          + size + ") of model '" + model.name() + "'");
    }
    return size / ways;
  }

  public int devices() {
    return tp * nodes;
  }

  /**
   * Weight bytes the most loaded device stores: its TP share of the attention, dense and shared-expert
   * FFN, embedding and LM head (a tied head stored once), the norms and the router whole, and the
   * columns of the experts it holds in every MoE block. Nodes hold replicas (data parallelism).
   */
  public double weightBytesPerDevice(ModelSpec model, WeightFormat format) {
    double sharded = model.weightBytes(ParamGroup.ATTENTION, format) + model.weightBytes(ParamGroup.DENSE_FFN, format)
        + model.weightBytes(ParamGroup.SHARED_EXPERTS, format) + model.weightBytes(ParamGroup.EMBEDDING, format)
        + (model.tiedEmbeddings() ? 0 : model.weightBytes(ParamGroup.LM_HEAD, format));
    double whole = model.weightBytes(ParamGroup.NORM, format) + model.weightBytes(ParamGroup.ROUTER, format);
    double experts = 0;
    if (model.moe() != null) {
      int most = 0;
      for (int[] held : expertsOfDevice) {
        most = Math.max(most, held.length);
      }
      experts = (double) model.moeLayerCount() * most * model.expertWeightBytes(format) * expertColumns
          / model.moe().expertFfnSize();
    }
    return sharded / tp + whole + experts;
  }

  /** The devices of {@code device}'s node: the TP group. */
  public IntSeq nodeGroup(int device) {
    int node = device / tp;
    return IntSeq.of(IntStream.range(node * tp, (node + 1) * tp).toArray());
  }

  /**
   * The devices {@code device} exchanges tokens with before and after the experts: all devices with EP;
   * with ET, the devices of the same local rank in every node (none to exchange with on one node).
   */
  public IntSeq dispatchGroup(int device) {
    if (expertTensorParallel) {
      int rank = device % tp;
      return IntSeq.of(IntStream.range(0, nodes).map(n -> n * tp + rank).toArray());
    }
    return IntSeq.of(IntStream.range(0, devices()).toArray());
  }
}
