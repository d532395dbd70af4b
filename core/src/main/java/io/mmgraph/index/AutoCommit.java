package io.mmgraph.index;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A writer's commits by {@link Durability}: by count, checked after each insert on the inserting thread; by time, on
 * a virtual thread of its own that sleeps between commits. A commit the timer could not make is reported by the next
 * insert or {@code sync()} on the writer, never dropped.
 */
final class AutoCommit implements AutoCloseable {
    /** What this commits for: the writer. */
    interface Writer {
        /** Commits every published insert (as {@code sync()} does, without reporting this object's failures). */
        void commit() throws IOException;

        /** Inserts published but not yet committed. */
        long uncommitted();
    }

    private final Durability durability;
    private final Writer writer;
    private final Thread timer;
    private final AtomicBoolean committing = new AtomicBoolean();
    /** The first commit the timer could not make since the writer last heard of one. */
    private final java.util.concurrent.atomic.AtomicReference<IOException> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean closed;

    AutoCommit(Durability durability, Writer writer, String name) {
        this.durability = durability;
        this.writer = writer;
        this.timer = durability.everyMillis() > 0
                ? Thread.ofVirtual().name("mmgraph-commit-" + name).start(this::commitPeriodically)
                : null;
    }

    Durability durability() {
        return durability;
    }

    /**
     * After an insert: commits when enough wait, unless another thread is committing already. (The caller reports
     * the timer's failures before it inserts, so that an insert is never both made and reported as failed for them.)
     */
    void afterInsert() throws IOException {
        long n = durability.everyInserts();
        // Loop: inserts that other threads made while this commit ran skipped theirs (one commit at a time), so the
        // committing thread looks again when it is done.
        while (n > 0 && writer.uncommitted() >= n && committing.compareAndSet(false, true)) {
            try {
                writer.commit();
            } finally {
                committing.set(false);
            }
        }
    }

    /** Throws (once) the first commit failure of the timer since the last report. */
    void reportFailure() throws IOException {
        IOException f = failure.getAndSet(null);
        if (f != null) {
            throw new IOException("a periodic commit failed (inserts since the last commit are not durable until "
                    + "one succeeds): " + f.getMessage(), f);
        }
    }

    private void commitPeriodically() {
        long period = durability.everyMillis() * 1_000_000L;
        while (!closed) {
            // Parked, never interrupted: an interrupt during a commit would close the writer's FileChannels.
            long until = System.nanoTime() + period;
            for (long left = period; left > 0 && !closed; left = until - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
            if (closed || writer.uncommitted() == 0 || !committing.compareAndSet(false, true)) {
                continue;
            }
            try {
                writer.commit(); // the next tick tries again after a failure
            } catch (IndexClosedException e) {
                return;
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            } catch (Throwable e) { // a timer that died silently would stop committing unnoticed
                failure.compareAndSet(null, new IOException(e.toString(), e));
            } finally {
                committing.set(false);
            }
        }
    }

    /** Stops the timer, waiting for a commit it is making. */
    @Override
    public void close() {
        closed = true;
        if (timer != null) {
            LockSupport.unpark(timer);
            boolean interrupted = false;
            while (timer.isAlive()) {
                try {
                    timer.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
