package io.duplexsim.units.systolic;

/**
 * Operands arrive in zero time: a fold is ready as soon as its buffer is free (cycle 0 for the first
 * two folds). Gives the pure compute time of a schedule.
 */
public final class InstantFeed implements OperandFeed {
  @Override
  public long readyCycle(int fold, long bufferFreeCycle) {
    return bufferFreeCycle;
  }
}
