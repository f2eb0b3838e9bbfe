package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.isa.Unit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The segments a compiler shares between layers and devices: those of the current iteration, and
 * lasting ones whose keys name everything they depend on, kept for later iterations of the same model,
 * system, strategy and weights (an expert FFN at a token count, a device's dispatch and combine for a
 * routing). Bounded: cleared when full, which costs only re-emitting.
 */
final class SharedSegments {
  private static final int LIMIT = 1 << 16;

  /** This iteration's attention segments by [node][whether it has an input]. */
  private LayerSegment[][] attention = new LayerSegment[0][2];
  private final Map<SegmentKey, LayerSegment> lasting = new HashMap<>();
  /** Lasting segments by content: keys that differ (two devices' dispatch) often make equal segments. */
  private final Map<LayerSegment, LayerSegment> distinct = new HashMap<>();
  private List<Object> context = List.of();
  /**
   * Lasting expert FFN segments by [inputs (0 or 1)][unit][tokens]: every layer of every iteration looks
   * up each held expert's, so an index beats hashing a key.
   */
  private final LayerSegment[][][] experts = new LayerSegment[2][Unit.values().length][];

  /** Starts an iteration: drops the last one's segments, and the lasting ones if the setting changed. */
  void startIteration(ModelSpec model, SystemPreset system, Strategy strategy, WeightFormat weights) {
    for (LayerSegment[] byInput : attention) {
      clear(byInput);
    }
    List<Object> now = List.of(model, system, strategy, weights);
    boolean same = now.size() == context.size();
    for (int i = 0; same && i < now.size(); i++) {
      same = now.get(i) == context.get(i); // the same objects, as one run passes them
    }
    if (!same || lasting.size() >= LIMIT) {
      lasting.clear();
      distinct.clear();
      for (LayerSegment[][] byUnit : experts) {
        for (int u = 0; u < byUnit.length; u++) {
          byUnit[u] = null;
        }
      }
      context = now;
    }
  }

  /**
   * Empties {@code a} by hand: {@code Arrays.fill(Object[], ...)} is shared by every array type, and a
   * second type seen there made the JIT recompile the compiler's loop that inlines it.
   */
  private static void clear(LayerSegment[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] = null;
    }
  }

  /** The attention segment of {@code node}'s layers in this iteration (with an input or not), or null. */
  LayerSegment attention(int node, boolean input) {
    return node < attention.length ? attention[node][input ? 1 : 0] : null;
  }

  void keepAttention(int node, boolean input, LayerSegment s) {
    if (node >= attention.length) {
      int had = attention.length;
      attention = Arrays.copyOf(attention, node + 1);
      for (int n = had; n <= node; n++) {
        attention[n] = new LayerSegment[2];
      }
    }
    attention[node][input ? 1 : 0] = s;
  }

  /** The lasting segment under {@code key}, or null. */
  LayerSegment lasting(SegmentKey key) {
    return lasting.get(key);
  }

  /** Keeps {@code s} (or the equal segment already kept) under a copy of {@code key}; returns the one kept. */
  LayerSegment keep(SegmentKey key, LayerSegment s) {
    LayerSegment kept = intern(s);
    lasting.put(key.copy(), kept);
    return kept;
  }

  /** The lasting FFN segment of an expert on {@code unit} with {@code tokens} tokens and {@code inputs}, or null. */
  LayerSegment expert(int inputs, Unit unit, int tokens) {
    LayerSegment[] byTokens = experts[inputs][unit.ordinal()];
    return byTokens != null && tokens < byTokens.length ? byTokens[tokens] : null;
  }

  /** Keeps {@code s} (or the equal segment already kept) as that expert FFN; returns the one kept. */
  LayerSegment keepExpert(int inputs, Unit unit, int tokens, LayerSegment s) {
    s = intern(s);
    LayerSegment[][] byUnit = experts[inputs];
    LayerSegment[] byTokens = byUnit[unit.ordinal()];
    if (byTokens == null || tokens >= byTokens.length) {
      byTokens = Arrays.copyOf(byTokens == null ? new LayerSegment[0] : byTokens, Math.max(64, 2 * tokens));
      byUnit[unit.ordinal()] = byTokens;
    }
    byTokens[tokens] = s;
    return s;
  }

  /** The one lasting segment equal to {@code s}, so that later look-ups compare identities. */
  private LayerSegment intern(LayerSegment s) {
    LayerSegment known = distinct.putIfAbsent(s, s);
    return known == null ? s : known;
  }
}
