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
 *   <li>{@code threads}: a pool of {@link #THREADS} platform threads touches them, so that up to that many faults
 *       wait for the disk at once while the search thread re-ranks in order (the same overlap the direct-I/O
 *       reader gets from its own pool).</li>
 * </ul>
 */
enum RerankPrefetch {
    NONE, WILLNEED, THREADS;

    /** Faults in flight at most with {@link #THREADS}: a blocked fault holds its thread, so they are platform ones. */
    static final int THREADS_IN_POOL = 32;

    static RerankPrefetch fromProperty() {
        String p = System.getProperty("mmgraph.rerankPrefetch");
        if (p == null || p.isBlank()) {
            return NONE;
        }
        try {
            return valueOf(p.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mmgraph.rerankPrefetch must be none, willneed or threads, not " + p);
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
         * {@code THREADS_IN_POOL}-th node, so the first ones in the re-rank's order are in flight first.
         */
        void touch(int[] nodes, int count) {
            int[] mine = Arrays.copyOf(nodes, count); // the caller reuses its array for the next search
            int tasks = Math.min(THREADS_IN_POOL, count);
            try {
                for (int t = 0; t < tasks; t++) {
                    int first = t;
                    threads.execute(() -> {
                        try {
                            for (int i = first; i < mine.length; i += tasks) {
                                graph.touchVector(mine[i]);
                            }
                        } catch (RuntimeException e) {
                            // The index was closed meanwhile (the arena refuses the read): the search reports it.
                        }
                    });
                }
            } catch (RejectedExecutionException e) {
                // Closed: the search's own reads report it.
            }
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }
}
