package io.duplexsim.memory;

/**
 * Hook called on every DRAM command a controller issues (Ramulator 2's on-issue hook): protocol
 * checkers, command traces and energy counters attach here.
 *
 * <p>Arguments identify the command's address inside its pseudo-channel: {@code rank},
 * {@code bankGroup}, {@code bank} select the target banks through the command's scope (for a bundle
 * command, bank / bundleBanksPerGroup is the bundle index; for pseudo-channel-wide commands they are
 * 0); {@code row} is the row opened or accessed (-1 when none), {@code column} the column accessed
 * (-1 when none).
 */
@FunctionalInterface
public interface CommandObserver {
  void onCommand(long cycle, int pseudoChannel, int command, int rank, int bankGroup, int bank, int row, int column);
}
