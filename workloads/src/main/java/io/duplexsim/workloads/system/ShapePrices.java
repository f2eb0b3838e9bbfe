package io.duplexsim.workloads.system;

import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.workloads.compiler.OpCategory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntBiFunction;

/**
 * An op model's prices by instruction shape (id and deps ignored, as every op model does), with each
 * price's energy keys resolved to buckets once per category: layers and iterations repeat shapes
 * (an expert's GEMMs at a given token count, norms, collectives) far more often than they add new ones.
 * Bounded: cleared when full, which costs only re-pricing.
 */
final class ShapePrices {
  private static final int LIMIT = 1 << 16;

  /** One shape's price: its duration and energy by key, and the keys' buckets per category (lazily). */
  static final class Price {
    /** What the op model said (a pair is priced from its two prices alone). */
    final OpResult result;
    final double timeNs;
    final String[] keys;
    final double[] pj;
    private final int[][] buckets = new int[OpCategory.values().length][];

    private Price(OpResult r) {
      result = r;
      timeNs = r.timeNs();
      keys = new String[r.energyBreakdownPj().size()];
      pj = new double[keys.length];
      int k = 0;
      for (Map.Entry<String, Double> e : r.energyBreakdownPj().entrySet()) {
        keys[k] = e.getKey();
        pj[k++] = e.getValue();
      }
    }

    int[] buckets(OpCategory category, ToIntBiFunction<OpCategory, String> bucket) {
      int[] b = buckets[category.ordinal()];
      if (b == null) {
        b = new int[keys.length];
        for (int k = 0; k < keys.length; k++) {
          b[k] = bucket.applyAsInt(category, keys[k]);
        }
        buckets[category.ordinal()] = b;
      }
      return b;
    }
  }

  private final OpModel model;
  private final Map<Instruction, Price> prices = new HashMap<>();
  /** Attention co-processing pairs by their two shapes (null values: the model prices them alone). */
  private final Map<List<Instruction>, Price[]> pairs = new HashMap<>();

  ShapePrices(OpModel model) {
    this.model = model;
  }

  /** Whether {@code ins}'s shape is priced already. */
  boolean knows(Instruction ins) {
    return prices.containsKey(ins.withHeader(0, IntSeq.empty()));
  }

  Price price(Instruction ins) {
    Instruction shape = ins.withHeader(0, IntSeq.empty());
    Price p = prices.get(shape);
    if (p == null) {
      p = new Price(model.price(ins));
      if (prices.size() >= LIMIT) {
        prices.clear();
      }
      prices.put(shape, p);
    }
    return p;
  }

  /**
   * Duplex+PE's attention pair as the two run at once ({@link OpModel#priceTogether}), from their prices
   * alone; null when the model prices them alone.
   */
  Price[] priceTogether(Attention onXpu, Attention onNearMemory, Price xpuAlone, Price nearMemoryAlone) {
    List<Instruction> key = List.of(onXpu.withHeader(0, IntSeq.empty()), onNearMemory.withHeader(0, IntSeq.empty()));
    if (pairs.containsKey(key)) {
      return pairs.get(key);
    }
    OpResult[] r = model.priceTogether(onXpu, onNearMemory, xpuAlone.result, nearMemoryAlone.result);
    Price[] p = r == null ? null : new Price[] {new Price(r[0]), new Price(r[1])};
    if (pairs.size() >= LIMIT) {
      pairs.clear();
    }
    pairs.put(key, p);
    return p;
  }
}
