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
        /** Commits every published insert (the writer's {@code sync()}). */
        void commit() throws IOException;

        /** Inserts published but not yet committed. */
        long uncommitted();
    }

    private final Durability durability;
    private final Writer writer;
    private final Thread timer;
    private final AtomicBoolean committing = new AtomicBoolean();
    private volatile IOException failure;
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

    /** After an insert: commits when enough wait, unless another thread is committing already. */
    void afterInsert() throws IOException {
        reportFailure();
        long n = durability.everyInserts();
        if (n > 0 && writer.uncommitted() >= n && committing.compareAndSet(false, true)) {
            try {
                writer.commit();
            } finally {
                committing.set(false);
            }
        }
    }

    /** Throws (once) what the timer's last commit threw. */
    void reportFailure() throws IOException {
        IOException f = failure;
        if (f != null) {
            failure = null;
            throw new IOException("a periodic commit failed (inserts since the last commit are not durable): "
                    + f.getMessage(), f);
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
                writer.commit();
            } catch (IndexClosedException e) {
                return;
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e.toString(), e);
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
