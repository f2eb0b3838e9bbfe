package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.WeightFormat;

/**
 * What one expert (or one device's shard of it) computes per token: {@code matrices} GEMMs over
 * d_model x {@code columns} weights (gate/up column-parallel, down row-parallel), in {@code weights}.
 * The key of a cost lookup table.
 */
public record ExpertShape(int dModel, int columns, int matrices, WeightFormat weights) {
  public ExpertShape {
    if (dModel <= 0 || columns <= 0 || matrices < 2 || weights == null) {
      throw new IllegalArgumentException("expert shape: positive sizes, 2 or 3 matrices and a format expected, got "
          + dModel + ", " + columns + ", " + matrices + ", " + weights);
    }
  }
}
