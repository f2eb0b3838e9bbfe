package io.duplexsim.validation.run;

import io.duplexsim.isa.WeightFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.system.SystemPreset;
import io.duplexsim.workloads.compiler.LayerCompiler;
import io.duplexsim.workloads.compiler.ParallelPlan;
import io.duplexsim.workloads.compiler.Strategy;
import io.duplexsim.workloads.model.ModelSpec;
import io.duplexsim.workloads.model.RecursiveSpec;
import io.duplexsim.workloads.serving.recursive.RecursiveBatching;
import java.util.Arrays;

/**
 * A scenario's recursive-model keys (policy 5, Relaxed Recursive Transformers): {@code recursive-loops}
 * (B; 1 = the ordinary model), {@code recursive-lora-rank}, {@code recursive-batching} (sequence or depth)
 * and {@code recursive-exit-probs} (one probability for every loop but the last, or B-1 comma-separated).
 */
final class RecursiveScenario {
  private final ModelSpec model;
  private final RecursiveSpec spec;
  private final RecursiveBatching.Mode mode;
  private final double[] exits;

  private RecursiveScenario(ModelSpec model, RecursiveSpec spec, RecursiveBatching.Mode mode, double[] exits) {
    this.model = model;
    this.spec = spec;
    this.mode = mode;
    this.exits = exits;
  }

  /** The recursive setup of {@code s}, or null when {@code recursive-loops} is 1. */
  static RecursiveScenario of(Scenario s, ModelSpec model) {
    int loops = s.positiveInt("recursive-loops");
    int rank = nonNegativeInt(s, "recursive-lora-rank");
    RecursiveBatching.Mode mode = RecursiveBatching.Mode.parse(s.text("recursive-batching"), "recursive-batching");
    double[] exits = probabilities(s.text("recursive-exit-probs"), loops);
    if (loops == 1) {
      if (rank > 0 || Arrays.stream(exits).anyMatch(p -> p > 0)) {
        throw new InputException("recursive-lora-rank and recursive-exit-probs need recursive-loops >= 2");
      }
      return null;
    }
    RecursiveSpec spec = new RecursiveSpec(loops, rank);
    spec.requireFits(model);
    return new RecursiveScenario(model, spec, mode, exits);
  }

  /**
   * What the most loaded device stores: its share of the shared block's model and of the adapters (taken
   * as split evenly; the A halves of column-parallel adapters are in fact replicated, a few MB more).
   */
  double weightBytesPerDevice(SystemPreset system, Strategy strategy, WeightFormat weights) {
    ParallelPlan plan = ParallelPlan.of(spec.sharedModel(model), system, strategy);
    return plan.weightBytesPerDevice(spec.sharedModel(model), weights) + spec.adapterBytes(model) / plan.tp();
  }

  RecursiveBatching batching(LayerCompiler compiler, SystemPreset system, Strategy strategy, WeightFormat weights,
      long seed) {
    return new RecursiveBatching(model, spec, mode, exits, seed,
        (batch, plan) -> compiler.compile(model, system, strategy, weights, batch, id -> true, plan));
  }

  private static int nonNegativeInt(Scenario s, String key) {
    try {
      int x = Integer.parseInt(s.text(key).trim());
      if (x >= 0) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputException(key + " must be a non-negative integer, got '" + s.text(key) + "'");
  }

  /** One value for every loop but the last, or loops - 1 values; each in [0, 1]. */
  static double[] probabilities(String text, int loops) {
    String[] parts = text.split(",");
    double[] p = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        p[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new InputException("recursive-exit-probs must be numbers in [0, 1], got '" + text + "'");
      }
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new InputException("recursive-exit-probs must be in [0, 1], got '" + text + "'");
      }
    }
    if (p.length == 1) {
      double[] all = new double[Math.max(0, loops - 1)];
      Arrays.fill(all, p[0]);
      return all;
    }
    if (p.length != loops - 1) {
      throw new InputException("recursive-exit-probs needs one probability or " + (loops - 1) + " (after loops 1.."
          + (loops - 1) + "), got " + p.length);
    }
    return p;
  }
}
