package io.duplexsim.units.systolic;

/**
 * Outcome of a {@link TiledGemmRun}.
 *
 * @param totalCycles cycle at which the last fold's compute ends (the run starts at cycle 0)
 * @param computeCycles sum of the folds' compute cycles ({@link GemmSchedule#computeCycles})
 * @param stallCycles cycles the array sat idle waiting for operands; always totalCycles -
 *     computeCycles
 * @param stalledFolds folds whose start was delayed by their operands
 * @param firstFoldStall the stall before fold 0 (pipeline fill)
 */
public record TiledGemmResult(
    int folds,
    long totalCycles,
    long computeCycles,
    long stallCycles,
    int stalledFolds,
    long firstFoldStall) {

  /** Fraction of the run the array was computing. */
  public double computeFraction() {
    return totalCycles == 0 ? 1.0 : computeCycles / (double) totalCycles;
  }

  /** Invariant: time is either compute or stall, and nothing is negative. */
  public boolean consistent() {
    return totalCycles == computeCycles + stallCycles
        && stallCycles >= 0
        && firstFoldStall >= 0
        && firstFoldStall <= stallCycles
        && stalledFolds >= 0
        && stalledFolds <= folds;
  }
}
