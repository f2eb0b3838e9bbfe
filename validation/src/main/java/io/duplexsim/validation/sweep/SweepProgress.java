package io.duplexsim.validation.sweep;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a sweep's progress: a progress bar (runs done / total, elapsed, ETA) on a terminal, or one plain
 * line per finished run otherwise (logs, CI, pipes), so a long sweep is never silent.
 */
public interface SweepProgress extends AutoCloseable {
  /** One run finished. */
  void finished(SweepPoint point, double wallSeconds);

  @Override
  void close();

  /** A bar on standard error if it is a terminal, else plain lines on {@code err}. */
  static SweepProgress forConsole(PrintWriter err, int total, int alreadyDone) {
    if (System.console() != null) {
      return bar(System.err, total, alreadyDone);
    }
    return lines(err, total, alreadyDone);
  }

  static SweepProgress bar(PrintStream stream, int total, int alreadyDone) {
    ProgressBar bar = new ProgressBarBuilder().setTaskName("sweep").setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).startsFrom(alreadyDone, Duration.ZERO)
        .setConsumer(new ConsoleProgressBarConsumer(stream)).setUpdateIntervalMillis(500).build();
    return new SweepProgress() {
      @Override
      public void finished(SweepPoint point, double wallSeconds) {
        bar.step();
        bar.setExtraMessage(" " + point.label());
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }

  static SweepProgress lines(PrintWriter err, int total, int alreadyDone) {
    int[] done = {alreadyDone};
    if (alreadyDone > 0) {
      err.printf(Locale.ROOT, "sweep: %d of %d runs already done%n", alreadyDone, total);
      err.flush();
    }
    return new SweepProgress() {
      @Override
      public void finished(SweepPoint point, double wallSeconds) {
        done[0]++;
        err.printf(Locale.ROOT, "sweep: %d/%d done (%.1f s) %s%n", done[0], total, wallSeconds, point.label());
        err.flush();
      }

      @Override
      public void close() {
        err.flush();
      }
    };
  }
}
