package io.duplexsim.workloads.serving.disagg;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.compiler.IterationBatch;
import io.duplexsim.workloads.compiler.Phase;
import io.duplexsim.workloads.serving.IterationCost;
import io.duplexsim.workloads.serving.IterationLog;
import io.duplexsim.workloads.serving.IterationModel;
import io.duplexsim.workloads.serving.KvCapacity;
import io.duplexsim.workloads.serving.LatencySummary;
import io.duplexsim.workloads.serving.RequestRecord;
import io.duplexsim.workloads.serving.ServingOptions;
import io.duplexsim.workloads.serving.ServingResult;
import io.duplexsim.workloads.serving.StageKind;
import io.duplexsim.workloads.serving.requests.RequestSource;
import io.duplexsim.workloads.serving.requests.RequestSpec;
import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Disaggregated prefill/decode serving (Splitwise; the Duplex paper's Duplex-Split): a prefill instance
 * runs only prompts, a decode instance only decode steps, each on its own devices with its own iteration
 * model and KV capacity, and a request's KV crosses the interconnect in between. The two instances run
 * concurrently on one clock, event by event (iteration ends, transfer completions, arrivals), because
 * each depends on the other: the decode instance on the prefills it is sent, the prefill instance on
 * the decode instance's room (a finished prefill keeps its KV, and so its blocks, until the decode
 * instance can take it) and, in a closed loop, on the requests the decode instance finishes.
 *
 * <p>At each event time, in this order: the iterations ending now complete (the prefill instance's
 * first, then the decode instance's); transfers ending now deliver their KV to the decode instance and
 * free it on the prefill instance; arrivals enter. Then, until nothing changes: an idle decode instance
 * starts an iteration; held KV starts its transfers in order while the decode instance accepts them
 * ({@link DecodeInstance#canAccept}), one after another on the link ({@link KvTransferLink}); transfers
 * ending now (an instant link) complete. Last an idle prefill instance starts an iteration. A request's
 * first token comes out of its last prefill chunk (its TTFT is the prefill side's); its next token's gap
 * includes waiting for room, the transfer and the decode iteration.
 *
 * <p>Prefix caching is not modelled here. Preemption is recompute on the prefill instance and swap on
 * the decode instance, whatever preemption-mode says.
 */
public final class DisaggregatedServing {
  /** One side of the system: its devices' iteration model and KV capacity. */
  public record Instance(IterationModel model, KvCapacity capacity) {}

  private final ServingOptions options;
  private final RequestSource source;
  private final Instance prefillSide;
  private final Instance decodeSide;
  private final KvTransferLink link;
  private final PrefillInstance prefill;
  private final DecodeInstance decode;
  /** On the link, in start order (so also in completion order: the link serves one at a time). */
  private final ArrayDeque<DisaggRequest> transfers = new ArrayDeque<>();
  private final DoubleArrayList transferDoneNs = new DoubleArrayList();
  private int transferHead;
  private final List<RequestRecord> finished = new ArrayList<>();
  private final DoubleArrayList ttfts = new DoubleArrayList();
  private final DoubleArrayList tbts = new DoubleArrayList();
  private final DoubleArrayList e2es = new DoubleArrayList();
  private final DoubleArrayList transferTimes = new DoubleArrayList();
  private final DoubleArrayList transferWaits = new DoubleArrayList();
  private final IterationLog log;

  private double nowNs;
  private double linkFreeNs;
  private long transferBytes;
  private double transferEnergyPj;
  private double transferBusyNs;
  private long generated;
  private int inSystem;
  private boolean exhausted;
  private long peakBlocks;
  private long peakPrefillBlocks;
  private long peakDecodeBlocks;

  private DisaggregatedServing(ServingOptions options, RequestSource source, Instance prefill, Instance decode,
      KvTransferLink link) {
    for (Instance i : List.of(prefill, decode)) {
      if (i.capacity().blockSize() != options.blockSize()) {
        throw new InputException("block-size is " + options.blockSize() + " but a KV capacity was sized for blocks of "
            + i.capacity().blockSize() + " tokens");
      }
    }
    if (options.enablePrefixCaching()) {
      throw new InputException("enable-prefix-caching is not supported with disaggregation; set it to false");
    }
    this.options = options;
    this.source = source;
    this.prefillSide = prefill;
    this.decodeSide = decode;
    this.link = link;
    this.prefill = new PrefillInstance(options, prefill.capacity());
    this.decode = new DecodeInstance(options, decode.capacity());
    this.log = new IterationLog(prefill.capacity().blocks() + decode.capacity().blocks());
  }

  /** Serves the whole workload on the two instances and returns its metrics. */
  public static ServingResult run(ServingOptions options, RequestSource source, Instance prefill, Instance decode,
      KvTransferLink link) {
    return new DisaggregatedServing(options, source, prefill, decode, link).serve();
  }

  private ServingResult serve() {
    boolean closed = source.concurrency() > 0;
    RequestSpec nextArrival = closed ? null : source.next();
    exhausted = !closed && nextArrival == null;
    while (true) {
      if (prefill.busyUntilNs == nowNs) {
        endPrefill();
      }
      if (decode.busyUntilNs == nowNs) {
        endDecode();
      }
      completeTransfers();
      if (closed) {
        while (!exhausted && inSystem < source.concurrency()) {
          RequestSpec s = source.next();
          if (s == null) {
            exhausted = true;
          } else {
            enter(s, nowNs); // a closed loop's replacement arrives when the request it replaces finished
          }
        }
      } else {
        while (nextArrival != null && nextArrival.arrivalNs() <= nowNs) {
          enter(nextArrival, nextArrival.arrivalNs());
          nextArrival = source.next();
        }
        exhausted = nextArrival == null;
      }
      boolean changed;
      do {
        changed = decode.idle() && startDecode();
        changed |= startTransfers();
        changed |= completeTransfers();
      } while (changed);
      if (prefill.idle()) {
        startPrefill();
      }
      double next = Double.POSITIVE_INFINITY;
      next = earliest(next, prefill.busyUntilNs);
      next = earliest(next, decode.busyUntilNs);
      next = earliest(next, transferHead < transferDoneNs.size() ? transferDoneNs.getDouble(transferHead) : Double.NaN);
      next = earliest(next, nextArrival != null ? nextArrival.arrivalNs() : Double.NaN);
      if (next == Double.POSITIVE_INFINITY) {
        if (inSystem == 0 && exhausted) {
          break;
        }
        throw new IllegalStateException("disaggregated serving stalled at " + nowNs + " ns with " + inSystem
            + " requests in the system: prefill " + prefill.waiting.size() + " waiting, " + prefill.running.size()
            + " running, " + prefill.held.size() + " holding KV, " + prefill.free() + " free blocks; decode "
            + decode.running.size() + " running, " + decode.swapped.size() + " swapped, " + decode.free()
            + " free blocks");
      }
      nowNs = next;
    }
    return result();
  }

  private static double earliest(double a, double b) {
    return Double.isNaN(b) ? a : Math.min(a, b);
  }

  private void enter(RequestSpec spec, double arrivalNs) {
    fits(spec, spec.inputTokens(), prefillSide.capacity(), "prefill", "its prompt");
    fits(spec, spec.peakKvTokens(), decodeSide.capacity(), "decode", "its KV at its longest ("
        + spec.inputTokens() + " input + " + spec.outputTokens() + " output - 1)");
    if (!options.enableChunkedPrefill() && spec.inputTokens() > options.maxNumBatchedTokens()) {
      throw new InputException("request " + spec.id() + " has a " + spec.inputTokens() + "-token prompt, more than"
          + " max-num-batched-tokens (" + options.maxNumBatchedTokens() + ") with chunked prefill disabled");
    }
    prefill.waiting.addLast(new DisaggRequest(spec, arrivalNs));
    inSystem++;
  }

  private static void fits(RequestSpec spec, int tokens, KvCapacity capacity, String side, String what) {
    long blocks = capacity.blocksFor(tokens);
    if (blocks > capacity.blocks()) {
      throw new InputException("request " + spec.id() + " can never fit on the " + side + " instance: " + what
          + " needs " + tokens + " tokens of KV, " + blocks + " blocks of " + capacity.blockSize() + ", but its KV"
          + " capacity is " + capacity.blocks() + " blocks (" + capacity.tokens() + " tokens)");
    }
  }

  private void startPrefill() {
    IterationBatch batch = prefill.schedule();
    if (batch == null) {
      return; // every block is held by KV waiting for the decode instance, or nothing to do
    }
    IterationCost cost = prefillSide.model().run(batch);
    double timeNs = cost.timeNs();
    prefill.ledger.add(cost, timeNs);
    prefill.busyUntilNs = nowNs + timeNs;
    notePeak();
    log.add(nowNs, timeNs, StageKind.of(batch), batch.entries().size(), batch.tokens(Phase.PREFILL),
        batch.tokens(Phase.DECODE), prefill.used + decode.used, prefill.preemptedThisIteration);
  }

  private boolean startDecode() {
    IterationBatch batch = decode.schedule();
    if (batch == null) {
      return false;
    }
    IterationCost cost = decodeSide.model().run(batch);
    double timeNs = cost.timeNs() + decode.swapBytes / options.swapBandwidthGBps(); // bytes / (GB/s) = ns
    decode.ledger.add(cost, timeNs);
    decode.busyUntilNs = nowNs + timeNs;
    notePeak();
    log.add(nowNs, timeNs, StageKind.of(batch), batch.entries().size(), batch.tokens(Phase.PREFILL),
        batch.tokens(Phase.DECODE), prefill.used + decode.used, decode.preemptedThisIteration);
    return true;
  }

  private void endPrefill() {
    prefill.busyUntilNs = Double.NaN;
    for (DisaggRequest r : prefill.complete()) {
      r.generated = 1;
      generated++;
      r.firstTokenNs = nowNs;
      r.lastTokenNs = nowNs;
      ttfts.add(nowNs - r.arrivalNs);
      if (r.finished()) {
        prefill.release(r); // one output token: nothing to decode, nothing to send
        finish(r);
      } else {
        prefill.held.addLast(r);
      }
    }
  }

  private void endDecode() {
    decode.busyUntilNs = Double.NaN;
    boolean any = false;
    for (DisaggRequest r : decode.complete()) {
      generated++;
      double gap = nowNs - r.lastTokenNs;
      tbts.add(gap);
      r.maxGapNs = Math.max(r.maxGapNs, gap);
      r.lastTokenNs = nowNs;
      if (r.finished()) {
        decode.release(r);
        finish(r);
        any = true;
      }
    }
    if (any) {
      decode.running.removeIf(DisaggRequest::finished);
    }
  }

  private void finish(DisaggRequest r) {
    inSystem--;
    e2es.add(nowNs - r.arrivalNs);
    finished.add(new RequestRecord(r.spec.id(), r.arrivalNs, r.spec.inputTokens(), r.spec.outputTokens(),
        r.firstTokenNs, nowNs, r.maxGapNs, r.preemptions, 0));
  }

  /** Puts held KV on the link, first done first, while the decode instance accepts it. */
  private boolean startTransfers() {
    boolean any = false;
    while (!prefill.held.isEmpty()) {
      DisaggRequest r = prefill.held.peekFirst();
      long blocks = decode.capacity.blocksFor(r.computed);
      if (!decode.canAccept(blocks)) {
        break; // backpressure: it keeps its KV on the prefill instance, and so does everyone behind it
      }
      prefill.held.pollFirst();
      decode.reserve(r, blocks);
      notePeak();
      KvTransferLink.Transfer t = link.price(r.computed);
      double start = Math.max(nowNs, linkFreeNs);
      double done = start + t.timeNs();
      linkFreeNs = done;
      transferBytes += t.bytes();
      transferEnergyPj += t.energyPj();
      transferBusyNs += t.timeNs();
      transferTimes.add(t.timeNs());
      transferWaits.add(start - r.firstTokenNs);
      transfers.addLast(r);
      transferDoneNs.add(done);
      any = true;
    }
    return any;
  }

  private boolean completeTransfers() {
    boolean any = false;
    while (transferHead < transferDoneNs.size() && transferDoneNs.getDouble(transferHead) <= nowNs) {
      transferHead++;
      DisaggRequest r = transfers.pollFirst();
      prefill.release(r);
      decode.arrive(r);
      any = true;
    }
    return any;
  }

  private void notePeak() {
    peakBlocks = Math.max(peakBlocks, prefill.used + decode.used);
    peakPrefillBlocks = Math.max(peakPrefillBlocks, prefill.used);
    peakDecodeBlocks = Math.max(peakDecodeBlocks, decode.used);
    if (prefill.used > prefill.capacity.blocks() || decode.used > decode.capacity.blocks()) {
      throw new IllegalStateException("KV over capacity: prefill " + prefill.used + "/" + prefill.capacity.blocks()
          + ", decode " + decode.used + "/" + decode.capacity.blocks());
    }
  }

  private ServingResult result() {
    if (prefill.used != 0 || decode.used != 0 || decode.inbound != 0) {
      throw new IllegalStateException("KV still held after every request finished: prefill " + prefill.used
          + " blocks, decode " + decode.used + " blocks, " + decode.inbound + " inbound");
    }
    finished.sort(Comparator.comparingLong(RequestRecord::id));
    double sim = nowNs;
    Map<String, Double> energy = new TreeMap<>(prefill.ledger.energyPj);
    decode.ledger.energyPj.forEach((k, v) -> energy.merge(k, v, Double::sum));
    if (transferEnergyPj > 0) {
      energy.merge("communication", transferEnergyPj, Double::sum);
    }
    double totalPj = energy.values().stream().mapToDouble(Double::doubleValue).sum();
    TreeMap<String, Double> breakdown = new TreeMap<>();
    energy.forEach((k, v) -> breakdown.put(k, generated > 0 ? v / generated / 1e9 : 0));
    int devices = prefill.capacity.devices() + decode.capacity.devices();
    Map<String, Double> busy = new TreeMap<>(prefill.ledger.unitBusyNs);
    decode.ledger.unitBusyNs.forEach((k, v) -> busy.merge(k, v, Double::sum));
    TreeMap<String, Double> utilisation = new TreeMap<>();
    busy.forEach((k, v) -> utilisation.put(k, sim > 0 ? v / (sim * devices) : 0));
    Map<StageKind, Long> stages = new EnumMap<>(StageKind.class);
    if (prefill.ledger.iterations > 0) {
      stages.put(StageKind.PREFILL_ONLY, prefill.ledger.iterations);
    }
    if (decode.ledger.iterations > 0) {
      stages.put(StageKind.DECODE_ONLY, decode.ledger.iterations);
    }
    LatencySummary transfer = LatencySummary.ofNs(transferTimes);
    LatencySummary wait = LatencySummary.ofNs(transferWaits);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("prefill_devices", prefill.capacity.devices());
    m.put("decode_devices", decode.capacity.devices());
    m.put("kv_transfers", transferTimes.size());
    m.put("kv_transfer_bytes", transferBytes);
    m.put("kv_transfer_time_s", transferBusyNs / 1e9);
    m.put("kv_transfer_time_p50_ms", transfer.p50Ms());
    m.put("kv_transfer_time_p99_ms", transfer.p99Ms());
    m.put("kv_transfer_wait_p50_ms", wait.p50Ms());
    m.put("kv_transfer_wait_p99_ms", wait.p99Ms());
    m.put("kv_transfer_energy_J", transferEnergyPj / 1e12);
    m.put("kv_link_busy_fraction", sim > 0 ? transferBusyNs / sim : 0);
    m.put("prefill_instance_busy_fraction", sim > 0 ? prefill.ledger.busyNs / sim : 0);
    m.put("decode_instance_busy_fraction", sim > 0 ? decode.ledger.busyNs / sim : 0);
    m.put("prefill_instance_unit_utilization", prefill.ledger.utilisation(sim, prefill.capacity.devices()));
    m.put("decode_instance_unit_utilization", decode.ledger.utilisation(sim, decode.capacity.devices()));
    m.put("prefill_kv_capacity_blocks", prefill.capacity.blocks());
    m.put("prefill_kv_peak_blocks", peakPrefillBlocks);
    m.put("decode_kv_capacity_blocks", decode.capacity.blocks());
    m.put("decode_kv_peak_blocks", peakDecodeBlocks);
    m.put("prefill_preemptions", prefill.preemptions);
    m.put("decode_swaps", decode.preemptions);
    return new ServingResult(prefillSide.model().fidelity(), finished.size(), generated, sim, log.size(),
        prefill.preemptions + decode.preemptions, stages, LatencySummary.ofNs(ttfts), LatencySummary.ofNs(tbts),
        LatencySummary.ofNs(e2es), totalPj, generated > 0 ? totalPj / generated / 1e9 : 0, breakdown, utilisation,
        prefill.capacity.blocks() + decode.capacity.blocks(), peakBlocks, prefill.prefillTokens, 0, 0, finished, log,
        m);
  }
}
