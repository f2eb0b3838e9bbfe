package io.duplexsim.validation.run;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.units.interconnect.Fabric;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.workloads.compiler.CompiledIteration;
import io.duplexsim.workloads.compiler.ExpertRouter;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.compiler.ParallelPlan;
import io.duplexsim.workloads.compiler.Strategy;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.ServingOptions;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.workloads.serving.disagg.DisaggregatedServing;
import io.duplexsim.workloads.serving.disagg.KvTransferLink;
import io.duplexsim.workloads.serving.disagg.KvTransferRoute;
import io.duplexsim.workloads.serving.requests.RequestSource;
import io.duplexsim.workloads.system.ModelCostOracle;
import io.duplexsim.workloads.system.SystemIterationModel;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A scenario's disaggregated prefill/decode serving (Splitwise; the Duplex paper's Duplex-Split), on
 * with {@code disaggregation: true}. The system's devices are split: the first {@code prefill-devices}
 * form the prefill instance, the next {@code decode-devices} the decode instance ({@code auto}: half
 * each, or the rest of the other side's count). Each instance is a system of its own (the same device
 * and links; devices beyond one node fill whole nodes), with its own parallel plan, iteration model and
 * KV capacity; KV crosses the whole system's fabric between them.
 */
final class Disaggregation {
  private Disaggregation() {}

  /** Devices on each side. */
  record Split(int prefill, int decode) {}

  private record Side(SystemPreset system, ParallelPlan plan, OpModel ops, DisaggregatedServing.Instance instance) {}

  static boolean enabled(Scenario s) {
    return s.bool("disaggregation");
  }

  /** The split of {@code devices}; InputException naming the key when it is impossible. */
  static Split split(Scenario s, int devices) {
    boolean autoPrefill = s.text("prefill-devices").trim().equals("auto");
    boolean autoDecode = s.text("decode-devices").trim().equals("auto");
    int prefill;
    int decode;
    if (autoPrefill && autoDecode) {
      prefill = devices / 2;
      decode = devices - prefill;
    } else if (autoPrefill) {
      decode = s.positiveInt("decode-devices");
      prefill = devices - decode;
    } else {
      prefill = s.positiveInt("prefill-devices");
      decode = autoDecode ? devices - prefill : s.positiveInt("decode-devices");
    }
    if (prefill < 1 || decode < 1) {
      throw new InputException((prefill < 1 ? "prefill-devices" : "decode-devices") + ": disaggregation needs at"
          + " least one device on each side, but the system has " + devices + " device(s) and the split leaves "
          + prefill + " for prefill and " + decode + " for decode");
    }
    if (prefill + decode != devices) {
      throw new InputException("prefill-devices (" + prefill + ") + decode-devices (" + decode + ") must equal the"
          + " system's " + devices + " devices (devices-per-node x nodes)");
    }
    return new Split(prefill, decode);
  }

  static ServingResult run(Scenario s, WeightFormat weights, ModelSpec model, ScenarioRunner.Built built,
      ServingOptions options, RequestSource requests, Consumer<OpModel> inspect) {
    SystemPreset whole = built.system();
    Split split = split(s, whole.devices());
    Side prefill = side(s, weights, model, built.strategy(), instance(whole, split.prefill(), "prefill"), options);
    Side decode = side(s, weights, model, built.strategy(), instance(whole, split.decode(), "decode"), options);
    KvTransferRoute route = KvTransferRoute.of(model, LayerCompiler.KV_FORMAT, prefill.plan().tp(),
        decode.plan().tp(), split.prefill());
    ServingResult result = DisaggregatedServing.run(options, requests, prefill.instance(), decode.instance(),
        KvTransferLink.over(whole.fabric(), route));
    ScenarioRunner.saveStore(prefill.ops());
    ScenarioRunner.saveStore(decode.ops());
    inspect.accept(prefill.ops());
    inspect.accept(decode.ops());
    return result;
  }

  /** The instance's system: the whole system's device and links, {@code devices} of them. */
  private static SystemPreset instance(SystemPreset whole, int devices, String side) {
    int perNode = whole.devicesPerNode();
    Fabric fabric;
    if (devices <= perNode) {
      fabric = new Fabric(devices, 1, whole.intraNode(), whole.interNode());
    } else if (devices % perNode == 0) {
      fabric = new Fabric(perNode, devices / perNode, whole.intraNode(), whole.interNode());
    } else {
      throw new InputException(side + "-devices: " + devices + " devices span more than one node of " + perNode
          + " but do not fill whole nodes");
    }
    return new SystemPreset(whole.name() + "-" + side, side + " instance: " + fabric.nodes() + " node(s) x "
        + fabric.devicesPerNode() + " " + whole.device().name() + " devices", whole.device(), fabric);
  }

  private static Side side(Scenario s, WeightFormat weights, ModelSpec model, Strategy strategy, SystemPreset system,
      ServingOptions options) {
    String key = system.name().endsWith("-prefill") ? "prefill-devices" : "decode-devices";
    try {
      // as ScenarioRunner prices ops, but on the instance's own devices (its collectives stay inside it)
      OpModel ops = ScenarioRunner.opModel(s, system);
      String routerSpec = s.router().equals("uniform") ? "uniform:" + s.seed() : s.router();
      LayerCompiler compiler = new LayerCompiler(ExpertRouter.parse(routerSpec), new ModelCostOracle(ops));
      Function<IterationBatch, CompiledIteration> compile =
          batch -> compiler.compile(model, system, strategy, weights, batch);
      ParallelPlan plan = ParallelPlan.of(model, system, strategy);
      KvCapacity capacity = KvCapacity.forDevices(model, LayerCompiler.KV_FORMAT,
          KvCapacity.deviceMemoryBytes(system.device()), plan.weightBytesPerDevice(model, weights),
          plan.kvHeadsPerDevice(), plan.tp(), plan.nodes(), s.activationReserveGb() * 1e9, options);
      return new Side(system, plan, ops, new DisaggregatedServing.Instance(new SystemIterationModel(compile, ops),
          capacity));
    } catch (InputException e) {
      throw new InputException(key + ": the " + system.description() + ": " + e.getMessage(), e);
    }
  }
}
