package io.duplexsim.memory.frontend;

import io.duplexsim.memory.CommandObserver;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * One lane's issued commands, kept so that an observer outside the lanes can see every lane's
 * commands after the run in the order a one-thread run shows them: by cycle, and within a cycle by
 * pseudo-channel (a lane's pseudo-channels all come before the next lane's).
 */
final class LaneCommandLog implements CommandObserver {
  /**
   * Per command: its cycle; pseudo-channel, command, rank, bank group and bank (each under 256); row and
   * column (-1: none).
   */
  private final LongArrayList entries = new LongArrayList();

  @Override
  public void onCommand(long cycle, int pseudoChannel, int command, int rank, int bankGroup, int bank, int row,
      int column) {
    entries.add(cycle);
    entries.add((long) pseudoChannel << 40 | (long) (command & 0xff) << 32 | (rank & 0xff) << 16
        | (bankGroup & 0xff) << 8 | (bank & 0xff));
    entries.add((long) row << 32 | (column & 0xffffffffL));
  }

  /** Shows every lane's commands to {@code observer}, merged into the one-thread order. */
  static void replay(LaneCommandLog[] lanes, CommandObserver observer) {
    int[] at = new int[lanes.length];
    while (true) {
      int best = -1;
      long bestCycle = Long.MAX_VALUE;
      for (int k = 0; k < lanes.length; k++) {
        if (at[k] < lanes[k].entries.size() && lanes[k].entries.getLong(at[k]) < bestCycle) {
          best = k;
          bestCycle = lanes[k].entries.getLong(at[k]);
        }
      }
      if (best < 0) {
        return;
      }
      // this lane's commands of the cycle, then the next lane's
      LongArrayList e = lanes[best].entries;
      while (at[best] < e.size() && e.getLong(at[best]) == bestCycle) {
        long ids = e.getLong(at[best] + 1);
        long rowColumn = e.getLong(at[best] + 2);
        observer.onCommand(bestCycle, (int) (ids >>> 40), (int) (ids >>> 32) & 0xff, (int) (ids >>> 16) & 0xff,
            (int) (ids >>> 8) & 0xff, (int) ids & 0xff, (int) (rowColumn >> 32), (int) rowColumn);
        at[best] += 3;
      }
    }
  }
}
