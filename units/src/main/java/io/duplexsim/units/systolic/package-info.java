/**
 * Timing of a GEMM on a systolic array (the xPU's matrix engine), following SCALE-Sim's
 * conventions (Samajdar et al., "SCALE-Sim: Systolic CNN Accelerator Simulator", 2018, and
 * ARM-software/SCALE-Sim v2): a GEMM is cut into folds that fit the R x C array, each fold pays a
 * fill (skew), a steady state and a drain, and folds run back to back.
 *
 * <p>{@link io.duplexsim.units.systolic.SystolicTiming} is the closed form used in production; the
 * tests check it, cycle for cycle, against a literal PE-grid simulation.
 * {@link io.duplexsim.units.systolic.TiledGemmRun} adds double-buffered operand arrival through an
 * {@link io.duplexsim.units.systolic.OperandFeed}.
 */
package io.duplexsim.units.systolic;
