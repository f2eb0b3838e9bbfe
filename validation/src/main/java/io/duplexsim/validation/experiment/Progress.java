package io.duplexsim.validation.experiment;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how far a list of runs has got: a progress bar on a terminal, one plain line per finished run
 * otherwise (a log file or CI output then reads as a list, not as carriage-return noise). Close it when
 * the runs are done.
 */
public abstract class Progress implements RunListener, AutoCloseable {
  protected final int total;
  private int done;

  protected Progress(int total) {
    this.total = total;
  }

  /** A bar on standard error when a terminal is attached ({@code System.console() != null}), else lines. */
  public static Progress forConsole(String task, int total, PrintWriter lines) {
    return System.console() != null ? new Bar(task, total) : new Lines(task, total, lines);
  }

  @Override
  public final synchronized void finished(RunResult result) {
    done++;
    show(done, result);
  }

  @Override
  public synchronized void failed(ExperimentRun run, RuntimeException error) {
    done++;
  }

  protected abstract void show(int done, RunResult result);

  @Override
  public abstract void close();

  /** One line per finished run: {@code [3/54] gpu 32 256:256  1.2 s (1.1 s CPU)}. */
  static final class Lines extends Progress {
    private final String task;
    private final PrintWriter out;

    Lines(String task, int total, PrintWriter out) {
      super(total);
      this.task = task;
      this.out = out;
    }

    @Override
    protected void show(int done, RunResult r) {
      out.printf(Locale.ROOT, "%s: [%d/%d] %s  %.1f s (%.1f s CPU)%n", task, done, total, r.run().label(),
          r.number("wall_s"), r.number("cpu_s"));
      out.flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }

  /** A terminal progress bar with the last finished run as its message. */
  static final class Bar extends Progress {
    private final ProgressBar bar;

    Bar(String task, int total) {
      super(total);
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500).build();
    }

    @Override
    protected void show(int done, RunResult r) {
      bar.stepTo(done);
      bar.setExtraMessage(r.run().label());
    }

    @Override
    public synchronized void failed(ExperimentRun run, RuntimeException error) {
      super.failed(run, error);
      bar.setExtraMessage("failed: " + run.label());
    }

    @Override
    public void close() {
      bar.close();
    }
  }
}
