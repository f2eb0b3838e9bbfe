package io.duplexsim.units.systolic;

/**
 * Runs a {@link GemmSchedule}'s folds back to back with two operand buffers, so that fold f+1 loads
 * while fold f computes.
 *
 * <pre>
 * bufferFree(f) = end(f-2)              (0 for f &lt; 2): fold f reuses fold f-2's buffer
 * ready(f)      = feed.readyCycle(f, bufferFree(f))
 * start(f)      = max(end(f-1), ready(f))   (end(-1) = 0)
 * end(f)        = start(f) + foldCycles(f)
 * total         = end(last);  stall = total - sum foldCycles
 * </pre>
 *
 * A fold's compute includes its own preload/skew/drain ({@link SystolicTiming}); the buffers hold
 * SRAM operands, not the array's weight registers, so consecutive folds do not overlap in the array.
 */
public final class TiledGemmRun {
  private TiledGemmRun() {}

  public static TiledGemmResult run(GemmSchedule schedule, OperandFeed feed) {
    int folds = schedule.folds();
    long endPrev = 0; // end(f-1)
    long endPrevPrev = 0; // end(f-2)
    long compute = 0;
    long stall = 0;
    long firstStall = 0;
    int stalledFolds = 0;
    for (int f = 0; f < folds; f++) {
      long bufferFree = f >= 2 ? endPrevPrev : 0;
      long ready = feed.readyCycle(f, bufferFree);
      if (ready < bufferFree) {
        throw new IllegalStateException(
            "feed made fold " + f + " ready at " + ready + " before its buffer is free at " + bufferFree);
      }
      long start = Math.max(endPrev, ready);
      if (start > endPrev) {
        stall += start - endPrev;
        stalledFolds++;
        if (f == 0) {
          firstStall = start;
        }
      }
      long cycles = schedule.foldCycles(f);
      compute += cycles;
      endPrevPrev = endPrev;
      endPrev = start + cycles;
    }
    return new TiledGemmResult(folds, endPrev, compute, stall, stalledFolds, firstStall);
  }
}
