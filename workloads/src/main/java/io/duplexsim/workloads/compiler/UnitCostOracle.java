package io.duplexsim.workloads.compiler;

import io.duplexsim.isa.Unit;

/**
 * The lookup table behind Duplex's expert co-processing: how long an expert FFN of {@code shape} takes
 * with {@code tokens} tokens on {@code unit} of one device. The executor side implements it from the
 * unit models (cached per shape and token count); {@link RooflineCostOracle} is the analytic stand-in.
 */
@FunctionalInterface
public interface UnitCostOracle {
  /** Time in ns; tokens is positive. */
  double expertNs(Unit unit, ExpertShape shape, int tokens);
}
