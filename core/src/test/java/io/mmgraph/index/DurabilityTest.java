package io.mmgraph.index;

import io.mmgraph.dataset.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A writer commits on its own as its {@link Durability} says: by count, by time, or only when asked. */
class DurabilityTest {
    static final int DIM = 16;

    @TempDir
    Path tmp;

    private static float[][] data(int n) {
        return new SyntheticData(DIM, 10, 3).bases(n);
    }

    /** What another process would see: the committed count, read by a fresh read-only handle. */
    private static long committedSeenByAReader(Path dir) throws IOException {
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            return reader.size();
        }
    }

    @Test
    void everyInsertsCommitsEachTimeThatManyWait() throws IOException {
        Path dir = tmp.resolve("idx");
        float[][] v = data(250);
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM))) {
            g.setDurability(Durability.everyInserts(100));
            assertEquals(Durability.everyInserts(100), g.durability());
            for (int i = 0; i < 99; i++) {
                g.add(v[i]);
            }
            assertEquals(0, g.committedCount(), "99 wait: no commit yet");
            g.add(v[99]);
            assertEquals(100, g.committedCount(), "the 100th insert commits");
            for (int i = 100; i < v.length; i++) {
                g.add(v[i]);
            }
            assertEquals(200, g.committedCount());
            assertEquals(200, committedSeenByAReader(dir), "another handle sees the commit");
        }
        assertEquals(250, committedSeenByAReader(dir), "close commits the rest");
    }

    @Test
    void everyInsertsCommitsDuringAConcurrentAddAll() throws IOException {
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM))) {
            g.setDurability(Durability.everyInserts(300));
            g.addAll(Arrays.asList(data(1_000)), 2);
            long committed = g.committedCount();
            // Inserts on other threads go on while one commits: each commit takes what is published then.
            assertTrue(committed >= 700 && committed <= 1_000, "committed " + committed + " of 1,000");
            assertTrue(g.size() - committed < 300 + 2, "fewer than 300 (plus one per thread) wait: " + committed);
        }
    }

    @Test
    void everyMillisCommitsWhileInsertsWaitAndOnDemandDoesNot() throws IOException, InterruptedException {
        Path dir = tmp.resolve("idx");
        float[][] v = data(20);
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM))) {
            for (int i = 0; i < 10; i++) {
                g.add(v[i]);
            }
            Thread.sleep(200);
            assertEquals(0, g.committedCount(), "on demand (the default): nothing commits by itself");

            g.setDurability(Durability.everyMillis(20).andEveryInserts(1_000_000));
            long until = System.nanoTime() + 10_000_000_000L;
            while (g.committedCount() < 10 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(10, g.committedCount(), "the timer committed the waiting inserts");
            assertEquals(10, committedSeenByAReader(dir));
            for (int i = 10; i < 20; i++) {
                g.add(v[i]);
            }
            until = System.nanoTime() + 10_000_000_000L;
            while (g.committedCount() < 20 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(20, g.committedCount(), "and keeps committing");

            g.setDurability(Durability.ON_DEMAND);
            g.add(v[0]);
            Thread.sleep(200);
            assertEquals(20, g.committedCount(), "back to on demand: the timer is gone");
        }
    }

    @Test
    void badModesAndReadersAreRefused() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> Durability.everyInserts(0));
        assertThrows(IllegalArgumentException.class, () -> Durability.everyMillis(0));
        assertThrows(IllegalArgumentException.class, () -> new Durability(-1, 0));
        Path dir = tmp.resolve("idx");
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM))) {
            g.add(data(1)[0]);
        }
        try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
            assertThrows(ReadOnlyIndexException.class, () -> reader.setDurability(Durability.everyInserts(10)));
            assertEquals(Durability.ON_DEMAND, reader.durability());
        }
        MMapGraph closed = MMapGraph.open(dir);
        closed.close();
        assertThrows(IndexClosedException.class, () -> closed.setDurability(Durability.everyMillis(5)));
    }
}
