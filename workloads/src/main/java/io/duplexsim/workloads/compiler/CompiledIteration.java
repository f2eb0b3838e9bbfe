package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.TraceHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * One iteration compiled for a system: an instruction trace per device (in device id order), and for
 * each device the category of every instruction ({@code categories().get(d)[i]} for instruction i of
 * device d's trace).
 *
 * <p>The compiler builds it from {@link SegmentPlacement placed segments} (equal layers share one
 * segment), and the full traces are made from them only when asked for; pricing can work on the
 * segments directly ({@link #placements}).
 */
public final class CompiledIteration {
  private final IterationBatch batch;
  /** Per device, null when built from whole traces. */
  private final List<List<SegmentPlacement>> placements;
  private final IntFunction<TraceHeader> headers;
  private List<InstructionTrace> devices;
  private List<OpCategory[]> categories;

  /** An iteration given as whole traces (one category array per trace, one category per instruction). */
  public CompiledIteration(IterationBatch batch, List<InstructionTrace> devices, List<OpCategory[]> categories) {
    this.batch = Objects.requireNonNull(batch, "batch");
    this.devices = List.copyOf(devices);
    this.categories = List.copyOf(categories);
    this.placements = null;
    this.headers = null;
    if (devices.size() != categories.size()) {
      throw new IllegalArgumentException("one category list per device expected");
    }
    for (int d = 0; d < devices.size(); d++) {
      if (devices.get(d).size() != categories.get(d).length) {
        throw new IllegalArgumentException("device " + d + ": " + devices.get(d).size() + " instructions but "
            + categories.get(d).length + " categories");
      }
    }
  }

  private CompiledIteration(IterationBatch batch, List<List<SegmentPlacement>> placements,
      IntFunction<TraceHeader> headers) {
    this.batch = batch;
    this.placements = placements.stream().map(List::copyOf).toList();
    this.headers = headers;
  }

  static CompiledIteration ofSegments(IterationBatch batch, List<List<SegmentPlacement>> placements,
      IntFunction<TraceHeader> headers) {
    return new CompiledIteration(batch, placements, headers);
  }

  public IterationBatch batch() {
    return batch;
  }

  public int deviceCount() {
    return placements != null ? placements.size() : devices.size();
  }

  /** Device {@code d}'s segments in trace order, or null when the iteration was given as whole traces. */
  public List<SegmentPlacement> placements(int d) {
    return placements == null ? null : placements.get(d);
  }

  /** Every device's trace. */
  public List<InstructionTrace> devices() {
    if (devices == null) {
      materialise();
    }
    return devices;
  }

  /** Every device's instruction categories, in trace order. */
  public List<OpCategory[]> categories() {
    if (categories == null) {
      materialise();
    }
    return categories;
  }

  private void materialise() {
    List<InstructionTrace> traces = new ArrayList<>();
    List<OpCategory[]> cats = new ArrayList<>();
    for (int d = 0; d < placements.size(); d++) {
      List<Instruction> instructions = new ArrayList<>();
      List<OpCategory> c = new ArrayList<>();
      for (SegmentPlacement p : placements.get(d)) {
        p.materialise(instructions);
        for (int i = 0; i < p.segment().size(); i++) {
          c.add(p.segment().category(i));
        }
      }
      traces.add(new InstructionTrace(headers.apply(d), instructions));
      cats.add(c.toArray(new OpCategory[0]));
    }
    devices = List.copyOf(traces);
    categories = List.copyOf(cats);
  }
}
