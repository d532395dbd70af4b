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
        this.bar = total >= THRESHOLD
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
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
