package io.duplexsim.validation.cli;

import io.duplexsim.sim.InputException;
import io.duplexsim.units.interconnect.CollectiveAlgorithm;
import io.duplexsim.units.interconnect.CollectiveOp;
import io.duplexsim.units.interconnect.CollectiveRequest;
import io.duplexsim.units.interconnect.CollectiveResult;
import io.duplexsim.units.interconnect.Interconnect;
import io.duplexsim.units.interconnect.LinkSpec;
import io.duplexsim.units.interconnect.NetworkOptions;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.units.system.Systems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplexsim collective}: one collective on a system's links, simulated packet by packet. */
@Command(
    name = "collective",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run one collective over a system's NVLink and InfiniBand links and report time, NCCL's algorithm and "
            + "bus bandwidth, bytes per link, energy and the bound.",
        "The payload is one device's buffer (the vector an all-reduce reduces, an all-gather's output)."},
    footer = {
        "",
        "Examples:",
        "  duplexsim collective --system duplex-1x8 --op all-reduce --bytes 64MiB",
        "  duplexsim collective --system gpu-2x8 --op all-reduce --bytes 64MiB --algorithm direct --json",
        "  duplexsim collective --device gpu --devices-per-node 8 --nodes 2 --op all-to-all --bytes 16MiB",
        "  duplexsim collective --system gpu-2x8 --op send-recv --group 0,8 --bytes 1GiB --link infiniband.pjPerBit=10",
        "  duplexsim list systems"})
final class CollectiveCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--system", paramLabel = "NAME", description = "System preset (see 'list systems').")
  String system;

  @Option(names = "--device", paramLabel = "NAME", description = "Device preset, instead of --system.")
  String device;

  @Option(names = "--devices-per-node", paramLabel = "N", description = "Devices per node, with --device.")
  Integer devicesPerNode;

  @Option(names = "--nodes", paramLabel = "N", description = "Nodes, with --device (default 1).")
  Integer nodes;

  @Option(names = "--op", required = true, paramLabel = "OP",
      description = "all-reduce, all-gather, reduce-scatter, all-to-all or send-recv.")
  String op;

  @Option(names = "--bytes", required = true, paramLabel = "SIZE", converter = ByteSize.class,
      description = "Payload per device, e.g. 64MiB.")
  Long bytes;

  @Option(names = "--algorithm", paramLabel = "ALG",
      description = "ring or direct (default ring; all-to-all and send-recv are direct).")
  String algorithm;

  @Option(names = "--flat", description = "Run a multi-node all-reduce as one flat ring or exchange instead of "
      + "intra-node / inter-node / intra-node phases.")
  boolean flat;

  @Option(names = "--group", split = ",", paramLabel = "IDS",
      description = "Device ids taking part, in ring order (default all devices; send-recv: 0,1).")
  int[] group;

  @Option(names = "--packet", paramLabel = "SIZE", converter = ByteSize.class,
      description = "Packet size the ports serialise (default 16KiB).")
  Long packet;

  @Option(names = "--link", paramLabel = "LINK.KEY=VALUE",
      description = "Override a link parameter, e.g. infiniband.pjPerBit=10 or nvlink.bandwidthGBps=900 "
          + "(keys: bandwidthGBps, latencyNs, pjPerBit, maxDevices). Repeatable.")
  Map<String, String> links = new LinkedHashMap<>();

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  /** A validated request. */
  record Request(SystemPreset system, CollectiveRequest collective, NetworkOptions options) {}

  /** Validates every flag before anything is simulated; InputException on bad input. */
  Request prepare() {
    SystemPreset s = system();
    CollectiveOp o = CollectiveOp.parse(op);
    CollectiveAlgorithm a = algorithm == null ? CollectiveRequest.defaultAlgorithm(o) : CollectiveAlgorithm.parse(algorithm);
    int[] ids = group != null ? group
        : o == CollectiveOp.SEND_RECV ? new int[] {0, 1} : IntStream.range(0, s.devices()).toArray();
    if (o == CollectiveOp.SEND_RECV && s.devices() < 2) {
      throw new InputException("send-recv needs at least 2 devices; the system has " + s.devices());
    }
    for (int id : ids) {
      if (id < 0 || id >= s.devices()) {
        throw new InputException("--group: device " + id + " is not in the system (devices 0.." + (s.devices() - 1)
            + ")");
      }
    }
    CollectiveRequest r = new CollectiveRequest(o, bytes, ids, a, !flat);
    NetworkOptions options = NetworkOptions.DEFAULT;
    if (packet != null) {
      options = options.withPacketBytes(packet);
    }
    return new Request(s, r, options);
  }

  private SystemPreset system() {
    SystemPreset s;
    if (system != null) {
      if (device != null || devicesPerNode != null || nodes != null) {
        throw new InputException("give either --system or --device/--devices-per-node/--nodes, not both");
      }
      s = Systems.load(system);
    } else {
      if (device == null) {
        throw new InputException("--system or --device is required (see 'duplexsim list systems')");
      }
      if (devicesPerNode == null) {
        throw new InputException("--devices-per-node is required with --device");
      }
      s = Systems.of(device, devicesPerNode, nodes == null ? 1 : nodes);
    }
    if (links.isEmpty()) {
      return s;
    }
    LinkSpec intra = s.intraNode();
    LinkSpec inter = s.interNode();
    for (Map.Entry<String, String> e : links.entrySet()) {
      String[] parts = e.getKey().split("\\.", 2);
      if (parts.length != 2) {
        throw new InputException("--link: expected LINK.KEY=VALUE (e.g. infiniband.pjPerBit=10), got '" + e.getKey()
            + "=" + e.getValue() + "'");
      }
      if (parts[0].equals(intra.name())) {
        intra = intra.with(parts[1], e.getValue());
      } else if (parts[0].equals(inter.name())) {
        inter = inter.with(parts[1], e.getValue());
      } else {
        throw new InputException("--link: system " + s.name() + " has no link '" + parts[0] + "'; it has ["
            + intra.name() + ", " + inter.name() + "]");
      }
    }
    return Systems.withLinks(s, intra, inter);
  }

  @Override
  public Integer call() {
    Request r = prepare();
    long start = System.nanoTime();
    CollectiveResult res = Interconnect.simulate(r.system().fabric(), r.collective(), r.options());
    double wall = (System.nanoTime() - start) / 1e9;
    Map<String, Object> metrics = toMap(r, res, wall);
    Table.print(spec.commandLine().getOut(), metrics, json);
    return 0;
  }

  /** Output keys, in order. */
  static final List<String> KEYS = List.of("system", "device", "nodes", "devices_per_node", "op", "algorithm",
      "group_size", "bytes", "cycles", "time_ns", "achieved_GBps", "bus_GBps", "bytes_sent_per_device", "link_bytes",
      "energy_pJ", "energy_breakdown", "bound", "busiest_port", "busiest_port_busy", "transfers", "packets",
      "packet_bytes", "wall_s");

  static Map<String, Object> toMap(Request r, CollectiveResult res, double wallSeconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", r.system().name());
    m.put("device", r.system().device().name());
    m.put("nodes", r.system().nodes());
    m.put("devices_per_node", r.system().devicesPerNode());
    m.put("op", r.collective().op().label());
    m.put("algorithm", res.algorithm());
    m.put("group_size", r.collective().size());
    m.put("bytes", r.collective().payloadBytes());
    m.put("cycles", res.cycles());
    m.put("time_ns", res.timeNs());
    m.put("achieved_GBps", res.algBandwidthGBps());
    m.put("bus_GBps", res.busBandwidthGBps());
    m.put("bytes_sent_per_device", res.maxBytesSentPerDevice());
    m.put("link_bytes", new LinkedHashMap<>(res.bytesByLink()));
    m.put("energy_pJ", res.energyPj());
    m.put("energy_breakdown", new LinkedHashMap<>(res.energyBreakdownPj()));
    m.put("bound", res.bound());
    m.put("busiest_port", res.busiestPort());
    m.put("busiest_port_busy", res.busiestPortFraction());
    m.put("transfers", res.transfers());
    m.put("packets", res.packets());
    m.put("packet_bytes", r.options().packetBytes());
    m.put("wall_s", wallSeconds);
    return m;
  }
}
