package io.mmgraph.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr for long work; none for short work, so scripts' stderr stays quiet. */
final class Progress implements AutoCloseable {
    static final long THRESHOLD = 50_000;
    private final ProgressBar bar;

    Progress(String task, long total, String unit) {
        this(task, total, unit, 1, THRESHOLD);
    }

    /** Counts in units of {@code unitSize} (e.g. bytes shown as MiB); a bar only from {@code threshold} counts. */
    Progress(String task, long total, String unit, long unitSize, long threshold) {
        this.bar = total >= threshold
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, unitSize)
                        .showSpeed().setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()
                : null;
    }

    void step() {
        stepBy(1);
    }

    void stepBy(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
