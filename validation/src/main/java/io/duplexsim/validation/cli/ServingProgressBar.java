package io.duplexsim.validation.cli;

import io.duplexsim.units.exec.MemoOpModel;
import io.duplexsim.units.exec.OpModel;
import io.duplexsim.workloads.serving.ServingProgress;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A serving run's progress on a terminal: requests finished of the total, the simulated clock, and at memo
 * or cycle fidelity the op shapes simulated so far (a first run on new hardware spends its minutes there,
 * before many requests finish). {@code run} shows it only on a terminal ({@code System.console()}, as the
 * other progress displays), so logs and piped output stay as they were. Close it when the run is done.
 */
final class ServingProgressBar implements ServingProgress, AutoCloseable {
  /** How often the message is rebuilt: the op shapes are counted as they are simulated, within an iteration. */
  private static final long MESSAGE_INTERVAL_MS = 500;

  private final ProgressBar bar;
  private final MemoOpModel memo;
  private final ScheduledExecutorService messages;
  private volatile double lastClockNs;

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
    bar.setExtraMessage(message(0));
    // the message has its own timer: a first run's first iterations simulate op shapes for minutes
    this.messages = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "serving-progress");
      t.setDaemon(true);
      return t;
    });
    messages.scheduleAtFixedRate(() -> bar.setExtraMessage(message(lastClockNs)), MESSAGE_INTERVAL_MS,
        MESSAGE_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  /** A bar on standard error. */
  static ServingProgressBar onStandardError(int totalRequests, OpModel ops) {
    return new ServingProgressBar(totalRequests, ops, new ConsoleProgressBarConsumer(System.err));
  }

  @Override
  public void iterated(int finishedRequests, double clockNs) {
    bar.stepTo(finishedRequests);
    lastClockNs = clockNs;
  }

  /** {@code sim 12.345 s}, and {@code , 37 op shapes simulated} once some were. */
  String message(double clockNs) {
    String text = String.format(Locale.ROOT, "sim %.3f s", clockNs / 1e9);
    long simulated = memo == null ? 0 : memo.misses();
    return simulated > 0 ? text + ", " + simulated + " op shapes simulated" : text;
  }

  @Override
  public void close() {
    messages.shutdownNow();
    bar.setExtraMessage(message(lastClockNs)); // the last iteration's, which the timer may not have shown yet
    bar.close();
  }
}
