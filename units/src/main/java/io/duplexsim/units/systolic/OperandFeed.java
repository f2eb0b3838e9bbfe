package io.duplexsim.units.systolic;

/**
 * Delivers each fold's operands (its X and W tiles) into the array's SRAM; the seam where the
 * memory system plugs in.
 *
 * <p>The array double-buffers: fold f loads into buffer {@code f % 2}, which fold f-2 occupies until
 * its compute ends, so loading fold f may not begin before {@code bufferFreeCycle}. The feed answers
 * when the last operand byte of fold f has arrived. An HBM-backed feed issues fold f's reads no
 * earlier than {@code bufferFreeCycle} (and after whatever it is still doing for earlier folds) and
 * returns the cycle its last read completes.
 *
 * <p>Contract: {@link TiledGemmRun} calls {@link #readyCycle} exactly once per fold, in increasing
 * fold order, with non-decreasing {@code bufferFreeCycle}; the result must be at least {@code
 * bufferFreeCycle}. A feed may keep state across calls (e.g. when its channel is next free), so use a
 * fresh feed for each run.
 */
@FunctionalInterface
public interface OperandFeed {
  /**
   * @param fold the fold index, 0-based, in {@link GemmSchedule} order
   * @param bufferFreeCycle the first cycle at which the fold's buffer may be written (0 for folds 0
   *     and 1, else the cycle fold f-2's compute ended)
   * @return the cycle from which fold {@code fold}'s compute may start as far as operands go
   */
  long readyCycle(int fold, long bufferFreeCycle);
}
