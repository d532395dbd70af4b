package io.mmgraph.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmgraph.vector.Metric;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneEngineTest {

    private static final int N = 3_000;
    private static final int DIM = 32;
    private static final int QUERIES = 50;
    private static final int K = 10;

    @Test
    void buildsOneSegmentAndFindsTheNearestNeighbours(@TempDir Path dir) throws Exception {
        Random random = new Random(42);
        float[][] base = randomVectors(random, N);
        float[][] queries = randomVectors(random, QUERIES);
        int[][] truth = new int[QUERIES][];
        for (int q = 0; q < QUERIES; q++) {
            truth[q] = bruteForce(base, queries[q], K);
        }
        BenchData data = new BenchData(base, queries, truth, Metric.L2);

        LuceneEngine engine = new LuceneEngine();
        assertEquals("lucene", engine.name());
        BuildParams params = new BuildParams(Metric.L2, 32, 100, 1.2f);
        engine.build(data, params, dir, 2);
        assertTrue(engine.indexBytes(dir) > (long) N * DIM * Float.BYTES, "index holds at least the raw vectors");
        assertTrue(engine.describeConfig().contains("M=16"), engine.describeConfig());
        assertFalse(engine.simdProvider().isBlank());

        int found = 0;
        try (Engine.SearchIndex index = engine.open("lucene", dir, params)) {
            Engine.Session session = index.newSession();
            int[] out = new int[K];
            for (int q = 0; q < QUERIES; q++) {
                int n = session.search(queries[q], K, 100, out);
                assertEquals(K, n);
                for (int i = 1; i < n; i++) {
                    assertTrue(l2(queries[q], base[out[i - 1]]) <= l2(queries[q], base[out[i]]),
                            "query " + q + ": results not nearest-first at " + i);
                }
                for (int i = 0; i < n; i++) {
                    for (int t : truth[q]) {
                        if (out[i] == t) {
                            found++;
                            break;
                        }
                    }
                }
            }
        } finally {
            engine.close();
        }
        double recall = (double) found / (QUERIES * K);
        assertTrue(recall >= 0.9, "recall@10 = " + recall);
    }

    private static float[][] randomVectors(Random random, int count) {
        float[][] v = new float[count][DIM];
        for (float[] row : v) {
            for (int d = 0; d < DIM; d++) {
                row[d] = random.nextFloat() * 2 - 1;
            }
        }
        return v;
    }

    private static float l2(float[] a, float[] b) {
        float sum = 0;
        for (int d = 0; d < a.length; d++) {
            float diff = a[d] - b[d];
            sum += diff * diff;
        }
        return sum;
    }

    private static int[] bruteForce(float[][] base, float[] query, int k) {
        Integer[] order = new Integer[base.length];
        float[] dist = new float[base.length];
        for (int i = 0; i < base.length; i++) {
            order[i] = i;
            dist[i] = l2(query, base[i]);
        }
        Arrays.sort(order, (x, y) -> Float.compare(dist[x], dist[y]));
        int[] nearest = new int[k];
        for (int i = 0; i < k; i++) {
            nearest[i] = order[i];
        }
        return nearest;
    }
}
