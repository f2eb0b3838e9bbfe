package io.duplexsim.validation.cli;

import io.duplexsim.units.exec.MemoOpModel;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.workloads.serving.ServingProgress;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A serving run's progress on a terminal: requests finished of the total, the simulated clock, and at memo
 * or cycle fidelity the op shapes simulated so far (a first run on new hardware spends its minutes there,
 * before many requests finish). {@code run} shows it only when standard error is a terminal, so logs and
 * piped output stay as they were. Close it when the run is done.
 */
final class ServingProgressBar implements ServingProgress, AutoCloseable {
  /** How often the message is rebuilt at most (the engine reports after each of thousands of iterations). */
  private static final long MESSAGE_INTERVAL_NS = 200_000_000L;

  private final ProgressBar bar;
  private final MemoOpModel memo;
  private long messageAt = Long.MIN_VALUE;
  private double lastClockNs = -1;

  /**
   * A bar over {@code totalRequests} (-1: unknown, an indeterminate bar) drawn by {@code consumer};
   * {@code ops} tells the op shapes simulated when it is a memo model.
   */
  ServingProgressBar(int totalRequests, OpModel ops, ProgressBarConsumer consumer) {
    this.memo = ops instanceof MemoOpModel m ? m : null;
    this.bar = new ProgressBarBuilder().setTaskName("serving").setInitialMax(totalRequests)
        .setStyle(ProgressBarStyle.ASCII).setConsumer(consumer).setUpdateIntervalMillis(500).continuousUpdate()
        .setUnit(" req", 1)
        .build();
  }

  /** A bar on standard error. */
  static ServingProgressBar onStandardError(int totalRequests, OpModel ops) {
    return new ServingProgressBar(totalRequests, ops, new ConsoleProgressBarConsumer(System.err));
  }

  @Override
  public void iterated(int finishedRequests, double clockNs) {
    bar.stepTo(finishedRequests);
    lastClockNs = clockNs;
    long now = System.nanoTime();
    if (now - messageAt >= MESSAGE_INTERVAL_NS || messageAt == Long.MIN_VALUE) {
      messageAt = now;
      bar.setExtraMessage(message(clockNs));
    }
  }

  /** {@code sim 12.345 s}, and {@code , 37 op shapes simulated} once some were. */
  String message(double clockNs) {
    String text = String.format(Locale.ROOT, "sim %.3f s", clockNs / 1e9);
    long simulated = memo == null ? 0 : memo.misses();
    return simulated > 0 ? text + ", " + simulated + " op shapes simulated" : text;
  }

  @Override
  public void close() {
    if (lastClockNs >= 0) {
      bar.setExtraMessage(message(lastClockNs)); // the last iteration's, which the interval may have skipped
    }
    bar.close();
  }
}
