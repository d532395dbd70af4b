package io.mmgraph.index;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timer's commits: a failure is kept (the first), reported once, and the next tick tries again. */
class AutoCommitTest {
    /** A writer whose first {@code failures} commits fail. */
    private static final class FlakyWriter implements AutoCommit.Writer {
        final AtomicLong uncommitted = new AtomicLong();
        final AtomicInteger attempts = new AtomicInteger();
        final int failures;
        final IOException first = new IOException("disk said no");

        FlakyWriter(int failures) {
            this.failures = failures;
        }

        @Override
        public void commit() throws IOException {
            int n = attempts.incrementAndGet();
            if (n <= failures) {
                throw n == 1 ? first : new IOException("again " + n);
            }
            uncommitted.set(0);
        }

        @Override
        public long uncommitted() {
            return uncommitted.get();
        }
    }

    private static void awaitAttempts(FlakyWriter w, int n) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (w.attempts.get() < n && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        assertTrue(w.attempts.get() >= n, "attempts " + w.attempts.get());
    }

    @Test
    void aFailedPeriodicCommitIsReportedOnceAndRetried() throws Exception {
        FlakyWriter w = new FlakyWriter(3);
        w.uncommitted.set(5);
        try (AutoCommit a = new AutoCommit(Durability.everyMillis(5), w, "test")) {
            awaitAttempts(w, 4);
            long until = System.nanoTime() + 10_000_000_000L;
            while (w.uncommitted() > 0 && System.nanoTime() < until) {
                Thread.sleep(2);
            }
            assertEquals(0, w.uncommitted(), "the fourth tick committed");
            IOException reported = assertThrows(IOException.class, a::reportFailure);
            assertSame(w.first, reported.getCause(), "the first failure, not a chain of later ones");
            a.reportFailure(); // once only
        }
        int attempts = w.attempts.get();
        Thread.sleep(50);
        assertEquals(attempts, w.attempts.get(), "closed: the timer is gone");
    }

    @Test
    void aCountTriggeredCommitRunsOnTheInsertingThreadWhenEnoughWait() throws IOException {
        FlakyWriter w = new FlakyWriter(0);
        try (AutoCommit a = new AutoCommit(Durability.everyInserts(3), w, "test")) {
            w.uncommitted.set(2);
            a.afterInsert();
            assertEquals(0, w.attempts.get(), "two wait: no commit");
            w.uncommitted.set(3);
            a.afterInsert();
            assertEquals(1, w.attempts.get());
            assertEquals(0, w.uncommitted());
        }
    }
}
