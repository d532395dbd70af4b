package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deletions racing inserts, consolidations, commits and searches in one process: a search never returns a vector
 * whose deletion had returned before the search began, nothing throws, every search finds k results, and the index
 * verifies clean and holds exactly the deletions made.
 */
class DeleteConcurrencyTest {
    private static final int DIM = 16;
    private static final int TOTAL = 6000;

    @TempDir
    Path tmp;

    @Test
    void searchesNeverReturnAVectorDeletedBeforeTheyBeganWhileInsertsDeletesAndConsolidationsRun() throws Exception {
        long seed = TestSeeds.seed("DeleteConcurrencyTest");
        AtomicLong clock = new AtomicLong();
        AtomicLongArray deletedAt = new AtomicLongArray(TOTAL);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong searches = new AtomicLong();
        AtomicLong deletions = new AtomicLong();
        try (MMapGraph g = MMapGraph.create(tmp.resolve("idx"), IndexOptions.dimension(DIM).withExtentSlots(512))) {
            for (int i = 0; i < 1000; i++) {
                g.add(TestVectors.vector(seed, i, DIM));
            }
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().start(() -> guard(failure, () -> {
                for (int i = 1000; i < TOTAL; i += 50) {
                    List<float[]> batch = new ArrayList<>();
                    for (int j = i; j < i + 50; j++) {
                        batch.add(TestVectors.vector(seed, j, DIM));
                    }
                    g.addAll(batch, 2);
                    if (i % 1000 == 0) {
                        g.sync();
                    }
                }
            })));
            threads.add(Thread.ofPlatform().start(() -> guard(failure, () -> {
                Random r = new Random(seed);
                while (!stop.get()) {
                    int n = g.size();
                    int victim = r.nextInt(n);
                    if (deletedAt.get(victim) == 0 && (n - deletions.get()) > 200 && g.delete(victim)) {
                        deletedAt.set(victim, clock.incrementAndGet());
                        deletions.incrementAndGet();
                    }
                    if (r.nextInt(400) == 0) {
                        g.consolidate();
                    }
                }
            })));
            for (int t = 0; t < 2; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> guard(failure, () -> {
                    Random r = new Random(seed + 7 + id);
                    while (!stop.get()) {
                        float[] q = TestVectors.vector(seed + 1, r.nextInt(1 << 20), DIM);
                        long began = clock.get();
                        List<Neighbor> found = g.search(q, SearchOptions.k(10).withEf(40)).neighbors();
                        if (found.size() != 10) {
                            throw new AssertionError("a search found " + found.size() + " of 10");
                        }
                        for (Neighbor nb : found) {
                            long at = deletedAt.get(nb.ordinal());
                            if (at != 0 && at <= began) {
                                throw new AssertionError("returned " + nb.ordinal() + ", deleted at " + at
                                        + " before the search began at " + began);
                            }
                        }
                        searches.incrementAndGet();
                    }
                })));
            }
            threads.getFirst().join();
            Thread.sleep(200);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertNull(failure.get(), () -> "a thread failed: " + failure.get());
            assertEquals(deletions.get(), g.deletedCount());
            g.sync();
            assertTrue(g.verify().ok(), g.verify().problems().toString());
        }
        try (MMapGraph r = MMapGraph.openReadOnly(tmp.resolve("idx"))) {
            assertEquals(TOTAL, r.size());
            assertEquals(deletions.get(), r.deletedCount());
            for (int i = 0; i < TOTAL; i++) {
                assertEquals(deletedAt.get(i) != 0, r.isDeleted(i), "vector " + i);
            }
        }
        assertTrue(searches.get() > 100 && deletions.get() > 100, searches + " searches, " + deletions + " deletions");
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void guard(AtomicReference<Throwable> failure, Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
