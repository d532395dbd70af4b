package io.mmgraph.index;

import io.mmgraph.ChildJvm;
import io.mmgraph.TestSeeds;
import io.mmgraph.TestVectors;
import io.mmgraph.format.VerifyReport;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Searches racing inserts: in one process (threads adding while threads search and verify), and across processes
 * (a child JVM adds and commits in a loop while this JVM refreshes, searches and verifies). A search only ever
 * returns nodes it may see — below the published count in the writer's process, below the committed count in a
 * reader's — sorted by distance, with the distance of the stored vector; nothing throws; and the graph checks clean
 * at the end.
 */
class GraphConcurrencyTest {
    static final int DIM = 32;
    static final int K = 10;
    static final Metric METRIC = Metric.L2;

    @TempDir
    Path tmp;

    /** The first few problems of a report, and how many there were. */
    static String summary(VerifyReport report) {
        List<String> p = report.problems();
        return report.problemCount() + " problem(s), first: " + p.subList(0, Math.min(3, p.size()));
    }

    /** Checks one search result against the visible count {@code visible} taken after the search returned. */
    private static void checkResult(MMapGraph g, float[] q, List<Neighbor> result, int before, long visible,
                                    String who) throws Exception {
        if (result.size() != Math.min(K, before) && before >= K) {
            fail(who + ": " + result.size() + " results over " + before + " visible nodes");
        }
        for (int i = 0; i < result.size(); i++) {
            Neighbor n = result.get(i);
            if (n.ordinal() < 0 || n.ordinal() >= visible) {
                fail(who + ": result " + n + " outside [0, " + visible + ")");
            }
            if (i > 0 && n.distance() < result.get(i - 1).distance()) {
                fail(who + ": results out of order: " + result);
            }
        }
        if (!result.isEmpty()) {
            Neighbor first = result.getFirst();
            float d = Kernels.get().distance(METRIC, q, g.vector(first.ordinal()));
            if (Math.abs(d - first.distance()) > 1e-4f * (1 + Math.abs(d))) {
                fail(who + ": " + first + " but the stored vector is at " + d);
            }
        }
    }

    @Test
    void searchersRacingTwoAddersSeeOnlyPublishedNodes() throws Exception {
        Random r = TestSeeds.random("GraphConcurrencyTest.searchersRacingTwoAddersSeeOnlyPublishedNodes");
        long seed = r.nextLong();
        int perAdder = 3000;
        int adders = 2;
        int searchers = 2;
        Path dir = tmp.resolve("idx");
        AtomicReferenceArray<float[]> byOrdinal = new AtomicReferenceArray<>(adders * perAdder);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean adding = new AtomicBoolean(true);
        AtomicLong searches = new AtomicLong();
        AtomicLong verifies = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM).withMetric(METRIC).withExtentSlots(1024))) {
            List<Thread> threads = new ArrayList<>();
            for (int a = 0; a < adders; a++) {
                int id = a;
                threads.add(Thread.ofPlatform().name("adder-" + a).start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perAdder; i++) {
                            float[] v = TestVectors.vector(seed, (long) id * perAdder + i, DIM);
                            int ord = g.add(v);
                            if (!byOrdinal.compareAndSet(ord, null, v)) {
                                fail("ordinal " + ord + " handed out twice");
                            }
                            if (id == 0 && i % 500 == 499) {
                                g.sync(); // so that verify has committed lists to check while adds go on
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            List<Thread> readers = new ArrayList<>();
            for (int s = 0; s < searchers; s++) {
                int id = s;
                readers.add(Thread.ofPlatform().name("searcher-" + s).start(() -> {
                    Random qr = new Random(seed + 17 * id);
                    try {
                        start.await();
                        for (int i = 0; adding.get() && failure.get() == null; i++) {
                            float[] q = TestVectors.vector(seed ^ 0x5EA5C4L, qr.nextInt(1_000_000), DIM);
                            int before = g.size();
                            List<Neighbor> result = i % 3 == 0 ? g.search(q, K)
                                    : g.search(q, SearchOptions.k(K).withEf(10 + qr.nextInt(150))).neighbors();
                            int after = g.size();
                            checkResult(g, q, result, before, after, Thread.currentThread().getName());
                            searches.incrementAndGet();
                            if (id == 0 && i % 250 == 249) {
                                // verify runs concurrently with adds (MMapGraph's contract)
                                VerifyReport report = g.verify();
                                if (!report.ok()) {
                                    fail("verify during adds: " + summary(report));
                                }
                                verifies.incrementAndGet();
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(120));
            }
            adding.set(false);
            for (Thread t : readers) {
                t.join(Duration.ofSeconds(60));
            }
            assertNull(failure.get(), () -> "a thread failed: " + failure.get());
            System.out.printf("in-process: %d searches and %d verifies raced %d adds%n", searches.get(), verifies.get(),
                    adders * perAdder);
            assertTrue(searches.get() > 0);

            assertEquals(adders * perAdder, g.size());
            for (int ord = 0; ord < g.size(); ord++) {
                assertTrue(TestVectors.bitEqual(byOrdinal.get(ord), g.vector(ord)), "ordinal " + ord);
            }
            VerifyReport report = g.verify();
            assertTrue(report.ok(), report.problems().toString());
            GraphStats stats = g.graphStats();
            System.out.println("in-process: " + stats);
            assertEquals(adders * perAdder, stats.nodes());
            assertTrue(stats.maxDegree() <= g.maxDegree(), stats.toString());
            assertEquals(0, stats.isolated(), stats.toString());
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertEquals(adders * perAdder, g.committedCount());
            VerifyReport report = g.verify();
            assertTrue(report.ok(), report.problems().toString());
        }
    }

    @Test
    void aReaderRefreshingAgainstAChildWriterSeesOnlyCommittedNodes() throws Exception {
        Random r = TestSeeds.random("GraphConcurrencyTest.aReaderRefreshingAgainstAChildWriterSeesOnlyCommittedNodes");
        long seed = r.nextLong();
        int total = 6000;
        int every = 200;
        Path dir = tmp.resolve("idx");
        // Small extents: the reader maps new ones as it refreshes.
        MMapGraph.create(dir, IndexOptions.dimension(DIM).withMetric(METRIC).withExtentSlots(1024)).close();
        long searches = 0;
        long refreshes = 0;
        long verifies = 0;
        long maxSeen = 0;
        try (MMapGraph reader = MMapGraph.openReadOnly(dir);
             ChildJvm.Running child = ChildJvm.main(ChildMain.class)
                     .args("add-sync-loop", dir, seed, total, every).start()) {
            Process p = child.process();
            for (int i = 0; p.isAlive(); i++) {
                if (reader.refresh()) {
                    refreshes++;
                }
                long committed = reader.committedCount();
                assertEquals(committed, reader.size(), "a reader's size is its committed count");
                float[] q = TestVectors.vector(seed ^ 0xC0FFEEL, r.nextInt(1_000_000), DIM);
                int before = reader.size();
                List<Neighbor> result = reader.search(q, SearchOptions.k(K).withEf(10 + r.nextInt(150))).neighbors();
                checkResult(reader, q, result, before, reader.committedCount(), "reader at " + committed);
                searches++;
                for (Neighbor n : result) {
                    maxSeen = Math.max(maxSeen, n.ordinal());
                }
                if (i % 100 == 99) {
                    VerifyReport report = reader.verify();
                    assertTrue(report.ok(), "reader verify at " + committed + " while the child writes: "
                            + summary(report));
                    verifies++;
                }
            }
            int exit = p.waitFor();
            List<String> lines = new ArrayList<>();
            for (String line; (line = child.nextLine(Duration.ofSeconds(10))) != null; ) {
                lines.add(line);
            }
            assertEquals(0, exit, child.describe());
            assertEquals("done size=" + total, lines.getLast(), child.describe());
            System.out.printf("cross-process: %d searches, %d refreshes that changed something, %d verifies; "
                    + "largest ordinal returned %d%n", searches, refreshes, verifies, maxSeen);
            assertTrue(searches > 0);

            reader.refresh(); // may have seen the final commit already
            assertEquals(total, reader.committedCount());
            VerifyReport report = reader.verify();
            assertTrue(report.ok(), report.problems().toString());
            GraphStats stats = reader.graphStats();
            System.out.println("cross-process: " + stats);
            assertEquals(total, stats.nodes());
            assertTrue(stats.maxDegree() <= reader.maxDegree(), stats.toString());
            assertEquals(0, stats.isolated(), stats.toString());
            for (int i = 0; i < total; i += 313) {
                assertTrue(TestVectors.bitEqual(TestVectors.vector(seed, i, DIM), reader.vector(i)), "vector " + i);
            }
        }
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            VerifyReport report = g.verify();
            assertTrue(report.ok(), report.problems().toString());
        }
    }
}
