package io.mmgraph.index;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * How a search by codes brings the beam's vectors in before re-ranking them from the mapped file, where they may be
 * cold: every one is a page fault that waits for the disk, and without help those faults come one after another.
 * Chosen by {@code -Dmmgraph.rerankPrefetch} (docs/benchmarks.md, "Prefetching the re-rank"):
 * <ul>
 *   <li>{@code none} (the default): the search thread faults them in itself;</li>
 *   <li>{@code willneed}: one {@code madvise(WILLNEED)} per vector first, which asks the kernel to start reading
 *       without waiting;</li>
 *   <li>{@code threads}: a pool of {@link #THREADS_IN_POOL} platform threads touches them, so that up to that many faults
 *       wait for the disk at once while the search thread re-ranks in order (the same overlap the direct-I/O
 *       reader gets from its own pool).</li>
 * </ul>
 */
enum RerankPrefetch {
    NONE, WILLNEED, THREADS;

    /**
     * Faults in flight at most with {@link #THREADS}: a blocked fault holds its thread, so they are platform ones.
     */
    static final int THREADS_IN_POOL = 32;

    /** The property's mode; an unknown value is reported once on stderr and means {@link #NONE}. */
    static RerankPrefetch fromProperty() {
        String p = System.getProperty("mmgraph.rerankPrefetch");
        if (p == null || p.isBlank()) {
            return NONE;
        }
        try {
            return valueOf(p.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("mmgraph: -Dmmgraph.rerankPrefetch must be none, willneed or threads, not '" + p
                    + "'; using none");
            return NONE;
        }
    }

    /** One search's prefetch: {@link #done} once its re-rank has read the vectors, so that late tasks stop. */
    static final class Batch {
        private volatile boolean done;

        void done() {
            done = true;
        }
    }

    /** The pool that touches a beam's vectors for {@link #THREADS}; one per index handle, shut down by its close. */
    static final class Pool implements AutoCloseable {
        private final StoredGraph graph;
        private final ExecutorService threads = Executors.newFixedThreadPool(THREADS_IN_POOL,
                Thread.ofPlatform().daemon().name("mmgraph-prefetch-", 0).factory());

        Pool(StoredGraph graph) {
            this.graph = graph;
        }

        /**
         * Starts touching the vectors of {@code nodes[0..count)} and returns at once: each pool thread takes every
         * {@code THREADS_IN_POOL}-th node, so the first ones in the re-rank's order are in flight first. The caller
         * marks the batch {@link Batch#done} after its re-rank: a task still queued then, or midway, stops rather
         * than read pages nobody waits for.
         */
        Batch touch(int[] nodes, int count) {
            Batch batch = new Batch();
            int[] mine = Arrays.copyOf(nodes, count); // the caller reuses its array for the next search
            int tasks = Math.min(THREADS_IN_POOL, count);
            try {
                for (int t = 0; t < tasks; t++) {
                    int first = t;
                    threads.execute(() -> {
                        try {
                            for (int i = first; i < mine.length && !batch.done; i += tasks) {
                                graph.touchVector(mine[i]);
                            }
                        } catch (IllegalStateException e) {
                            // The index was closed meanwhile (its arena refuses the read): the search reports it.
                        }
                    });
                }
            } catch (RejectedExecutionException e) {
                // Closed: the search's own reads report it.
            }
            return batch;
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }
}
