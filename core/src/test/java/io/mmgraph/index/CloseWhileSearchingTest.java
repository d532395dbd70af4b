package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * close() while other threads search: every search either completes or fails with {@link IndexClosedException} —
 * never another exception, never a read of unmapped memory (which would crash the JVM).
 */
class CloseWhileSearchingTest {
    private static final int DIM = 24;
    private static final int COUNT = 3000;

    @TempDir
    Path tmp;

    @Test
    void searchesEndWithIndexClosedException() throws Exception {
        Random r = TestSeeds.random("CloseWhileSearchingTest.searchesEndWithIndexClosedException");
        long seed = r.nextLong();
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM).withExtentSlots(64))) {
            for (int i = 0; i < COUNT; i++) {
                g.add(TestVectors.vector(seed, i, DIM));
            }
        }
        int rounds = 16;
        int threads = 3;
        for (int round = 0; round < rounds; round++) {
            boolean writer = round % 2 == 0;
            MMapGraph g = writer ? MMapGraph.open(dir) : MMapGraph.openReadOnly(dir);
            CountDownLatch running = new CountDownLatch(threads);
            List<AtomicReference<Throwable>> endings = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                AtomicReference<Throwable> ending = new AtomicReference<>();
                endings.add(ending);
                int id = t;
                Thread th = new Thread(() -> {
                    float[] q = TestVectors.vector(seed + 1, id, DIM);
                    boolean counted = false;
                    try {
                        for (long i = 0; ; i++) {
                            if (id == 2) {
                                // one thread reads vectors one by one: the shortest accesses, the most of them
                                float[] v = g.vector((int) (i % COUNT));
                                if (v.length != DIM) {
                                    throw new AssertionError("vector of " + v.length);
                                }
                            } else {
                                List<Neighbor> res = g.search(q, 10);
                                if (res.size() != 10) {
                                    throw new AssertionError("search returned " + res.size());
                                }
                            }
                            if (!counted) {
                                running.countDown();
                                counted = true;
                            }
                        }
                    } catch (Throwable e) {
                        ending.set(e);
                    } finally {
                        if (!counted) {
                            running.countDown();
                        }
                    }
                }, "searcher-" + t);
                th.start();
                workers.add(th);
            }
            assertTrue(running.await(30, TimeUnit.SECONDS), "searchers did not start");
            Thread.sleep(r.nextInt(20));
            g.close();
            for (Thread th : workers) {
                th.join(30_000);
                if (th.isAlive()) {
                    fail(th.getName() + " still running after close");
                }
            }
            for (int t = 0; t < threads; t++) {
                Throwable e = endings.get(t).get();
                if (!(e instanceof IndexClosedException)) {
                    AssertionError err = new AssertionError("round " + round + (writer ? " (writer)" : " (reader)")
                            + ": searcher-" + t + " ended with " + e + " instead of IndexClosedException");
                    err.initCause(e);
                    throw err;
                }
            }
        }
        // The index is intact after all that.
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertEquals(COUNT, g.size());
            assertTrue(g.verify().ok());
            assertInstanceOf(Neighbor.class, g.search(TestVectors.vector(seed, 5, DIM), 1).getFirst());
            assertEquals(5, g.search(TestVectors.vector(seed, 5, DIM), 1).getFirst().ordinal());
        }
    }
}
