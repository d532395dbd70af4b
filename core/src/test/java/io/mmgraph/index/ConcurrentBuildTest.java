package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.format.VerifyReport;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent inserts build as good a graph as sequential ones: the same 20,000 vectors built with 1 and with 2
 * threads reach recall@10 within 0.01 of each other, at the default ef and at narrow beams where a worse graph
 * would show. No timing is asserted (rates belong to benchmarks).
 */
class ConcurrentBuildTest {
    static final int N = 20_000;
    static final int DIM = 32;
    static final int QUERIES = 400;
    static final int K = 10;
    static final int[] EFS = {10, 20, SearchOptions.DEFAULT_EF};

    @TempDir
    Path tmp;

    private double[] buildAndMeasure(Path dir, float[][] base, float[][] queries, int[][] truth, int threads)
            throws Exception {
        double[] recalls = new double[EFS.length];
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM))) {
            assertEquals(0, g.addAll(Arrays.asList(base), threads));
            assertEquals(N, g.size());
            for (int i = 0; i < N; i += 1999) {
                assertArrayEquals(base[i], g.vector(i), "ordinal " + i + " holds list element " + i);
            }
            VerifyReport report = g.verify();
            assertTrue(report.ok(), report.problems().toString());
            GraphStats stats = g.graphStats();
            assertTrue(stats.maxDegree() <= g.maxDegree(), stats.toString());
            assertEquals(0, stats.isolated(), stats.toString());
            for (int e = 0; e < EFS.length; e++) {
                int[][] found = new int[queries.length][];
                for (int q = 0; q < queries.length; q++) {
                    found[q] = g.search(queries[q], SearchOptions.k(K).withEf(EFS[e])).neighbors().stream()
                            .mapToInt(Neighbor::ordinal).toArray();
                }
                recalls[e] = GroundTruth.recall(found, truth, K);
            }
            System.out.printf("%d thread(s): %s; recall@10 at ef %s = %s%n", threads, stats, Arrays.toString(EFS),
                    Arrays.toString(recalls));
        }
        return recalls;
    }

    @Test
    void twoThreadsBuildAsGoodAGraphAsOne() throws Exception {
        long seed = TestSeeds.seed("ConcurrentBuildTest.twoThreadsBuildAsGoodAGraphAsOne");
        SyntheticData data = new SyntheticData(DIM, SyntheticData.DEFAULT_CLUSTERS, seed);
        float[][] base = data.bases(N);
        float[][] queries = data.queries(QUERIES);
        int[][] truth = GroundTruth.compute(base, queries, K, Metric.L2);
        double[] one = buildAndMeasure(tmp.resolve("one"), base, queries, truth, 1);
        double[] two = buildAndMeasure(tmp.resolve("two"), base, queries, truth, 2);
        for (int e = 0; e < EFS.length; e++) {
            assertTrue(Math.abs(one[e] - two[e]) <= 0.01,
                    "ef " + EFS[e] + ": 1 thread " + one[e] + ", 2 threads " + two[e]);
        }
        assertTrue(two[EFS.length - 1] >= 0.95, "2 threads at the default ef: " + two[EFS.length - 1]);
    }
}
