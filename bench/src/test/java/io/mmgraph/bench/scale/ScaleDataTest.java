package io.mmgraph.bench.scale;

import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.dataset.VectorFiles;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streamed generator writes the same vectors as the in-memory one and the same exact neighbours. */
class ScaleDataTest {
    @TempDir
    Path tmp;

    @Test
    void streamedSetEqualsTheInMemoryOneAndItsTruthIsExact() throws IOException {
        int n = 40_000; // more than two chunks
        AtomicLong progress = new AtomicLong();
        assertFalse(ScaleData.complete(tmp, n, 16, 25, 10, 11));
        ScaleData.generate(tmp, n, 16, 25, 10, 11, progress::addAndGet);
        assertEquals(n, progress.get());
        assertTrue(ScaleData.complete(tmp, n, 16, 25, 10, 11));
        assertFalse(ScaleData.complete(tmp, n + 1, 16, 25, 10, 11), "another n");
        assertFalse(ScaleData.complete(tmp, n, 16, 25, 10, 12), "another seed");
        assertFalse(ScaleData.complete(tmp, n, 16, 25, 20, 11), "another k");
        float[][] base = VectorFiles.readAll(ScaleData.base(tmp));
        SyntheticData data = new SyntheticData(16, SyntheticData.DEFAULT_CLUSTERS, 11);
        assertArrayEquals(data.base(0), base[0]);
        assertArrayEquals(data.base(n - 1), base[n - 1]);
        float[][] queries = VectorFiles.readAll(ScaleData.queries(tmp));
        assertArrayEquals(data.queries(25)[24], queries[24]);
        int[][] expected = GroundTruth.compute(base, queries, 10, Metric.L2);
        int[][] truth = VectorFiles.readIvecs(ScaleData.truth(tmp));
        assertEquals(expected.length, truth.length);
        for (int q = 0; q < truth.length; q++) {
            assertArrayEquals(expected[q], truth[q], "query " + q);
        }
    }

    @Test
    void insertKeepsTheNearestInOrder() {
        int[] ids = {-1, -1, -1};
        float[] d = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        ScaleData.insert(ids, d, 5, 3f);
        ScaleData.insert(ids, d, 6, 1f);
        ScaleData.insert(ids, d, 7, 2f);
        ScaleData.insert(ids, d, 8, 0.5f);
        assertArrayEquals(new int[] {8, 6, 7}, ids);
        assertArrayEquals(new float[] {0.5f, 1f, 2f}, d);
    }
}
