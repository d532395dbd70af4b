package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allocation-free search into caller arrays: same answers as the list API, and no garbage per query. */
class ArraySearchTest {
    private static final int DIM = 24;

    @TempDir
    Path tmp;

    private static float[] random(Random r) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void answersAsTheListApiDoes(Metric metric) throws IOException {
        Random r = TestSeeds.random("ArraySearchTest.answersAsTheListApiDoes." + metric);
        try (MMapGraph index = MMapGraph.create(tmp, IndexOptions.dimension(DIM).withMetric(metric).withMaxDegree(16)
                .withBuildBeamWidth(40))) {
            for (int i = 0; i < 1500; i++) {
                index.add(random(r));
            }
            int[] ords = new int[10];
            float[] dists = new float[10];
            for (int q = 0; q < 50; q++) {
                float[] query = random(r);
                float[] before = query.clone();
                int ef = 10 + r.nextInt(60);
                List<Neighbor> expected = index.search(query, SearchOptions.k(10).withEf(ef)).neighbors();
                assertEquals(expected.size(), index.search(query, 10, ef, ords, dists));
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).ordinal(), ords[i]);
                    // The same kernel, but interpreted and compiled SIMD reductions may round the last bit apart.
                    assertEquals(expected.get(i).distance(), dists[i], 4 * Math.ulp(expected.get(i).distance()));
                }
                assertEquals(List.of(before[0], before[DIM - 1]), List.of(query[0], query[DIM - 1]),
                        "the caller's query is not normalized in place");
                assertEquals(3, index.search(query, 3, 1, ords, null), "beam width is at least k");
            }
        }
    }

    @Test
    void badArgumentsAreRefusedByName() throws IOException {
        try (MMapGraph index = MMapGraph.create(tmp, IndexOptions.dimension(DIM))) {
            float[] q = new float[DIM];
            q[0] = 1;
            assertEquals(0, index.search(q, 10, 10, new int[10], null), "an empty index finds nothing");
            index.add(q);
            assertThrows(IllegalArgumentException.class, () -> index.search(q, 10, 10, new int[9], null));
            assertThrows(IllegalArgumentException.class, () -> index.search(q, 10, 10, new int[10], new float[2]));
            assertThrows(IllegalArgumentException.class, () -> index.search(q, 0, 10, new int[10], null));
            assertThrows(DimensionMismatchException.class, () -> index.search(new float[3], 1, 10, new int[1], null));
            float[] nan = q.clone();
            nan[2] = Float.NaN;
            assertThrows(InvalidVectorException.class, () -> index.search(nan, 1, 10, new int[1], null));
        }
        MMapGraph closed = MMapGraph.open(tmp);
        closed.close();
        assertThrows(IndexClosedException.class, () -> closed.search(new float[DIM], 1, 10, new int[1], null));
    }

    @Test
    void allocatesNothingPerQueryOnceWarm() throws IOException {
        Random r = TestSeeds.random("ArraySearchTest.allocatesNothingPerQueryOnceWarm");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MMapGraph index = MMapGraph.create(tmp, IndexOptions.dimension(DIM).withMetric(Metric.COSINE))) {
            for (int i = 0; i < 2000; i++) {
                index.add(random(r));
            }
            float[][] queries = new float[64][];
            for (int i = 0; i < queries.length; i++) {
                queries[i] = random(r);
            }
            int[] ords = new int[10];
            float[] dists = new float[10];
            for (int i = 0; i < 20_000; i++) { // warm: JIT-compile the path, grow the searcher's buffers
                index.search(queries[i % queries.length], 10, 80, ords, dists);
            }
            long tid = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(tid);
            int searches = 5_000;
            for (int i = 0; i < searches; i++) {
                index.search(queries[i % queries.length], 10, 80, ords, dists);
            }
            long perSearch = (threads.getThreadAllocatedBytes(tid) - before) / searches;
            // A single Neighbor list would be > 100 bytes; a few bytes of slack for the measurement itself.
            assertTrue(perSearch < 8, "bytes allocated per search: " + perSearch);
        }
    }
}
