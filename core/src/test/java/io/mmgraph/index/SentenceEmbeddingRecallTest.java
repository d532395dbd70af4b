package io.mmgraph.index;

import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.testdata.SentenceEmbeddings;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recall on real sentence embeddings (all-MiniLM-L6-v2 over man-page passages, 384-d, cosine), against the
 * brute-force oracle: at least 0.95 at default settings, and 0.99 reachable by raising ef.
 */
class SentenceEmbeddingRecallTest {
    static final int BASE = 5000;
    static final int QUERIES = 200;
    static final int K = 10;

    @TempDir
    static Path tmp;
    static SentenceEmbeddings.Dataset data;
    static int[][] truth;
    static MMapGraph index;

    @BeforeAll
    static void build() throws Exception {
        data = SentenceEmbeddings.load(BASE, QUERIES, 42);
        truth = GroundTruth.compute(data.base(), data.queries(), K, Metric.COSINE);
        index = MMapGraph.create(tmp.resolve("minilm"), IndexOptions.dimension(SentenceEmbeddings.DIMENSION)
                .withMetric(Metric.COSINE));
        index.addAll(Arrays.asList(data.base()), 2);
        index.sync();
    }

    @org.junit.jupiter.api.AfterAll
    static void close() throws Exception {
        if (index != null) {
            index.close();
        }
    }

    private static double recall(SearchOptions options) throws Exception {
        int[][] found = new int[data.queries().length][];
        for (int i = 0; i < found.length; i++) {
            found[i] = index.search(data.queries()[i], options).neighbors().stream().mapToInt(Neighbor::ordinal).toArray();
        }
        return GroundTruth.recall(found, truth, K);
    }

    @Test
    void defaultSettingsReachNinetyFivePercent() throws Exception {
        double r = recall(SearchOptions.k(K));
        System.out.printf("MiniLM cosine, %d x 384: recall@10 at default ef %d = %.4f%n", BASE, SearchOptions.DEFAULT_EF, r);
        assertTrue(r >= 0.95, "recall@10 " + r);
    }

    @Test
    void raisingEfReachesNinetyNinePercent() throws Exception {
        double r = recall(SearchOptions.k(K).withEf(400));
        System.out.printf("MiniLM cosine: recall@10 at ef 400 = %.4f%n", r);
        assertTrue(r >= 0.99, "recall@10 " + r);
    }

    @Test
    void theGraphIsCheckedClean() throws Exception {
        assertTrue(index.verify().ok());
        GraphStats g = index.graphStats();
        assertTrue(g.maxDegree() <= index.maxDegree() && g.isolated() == 0, g.toString());
    }
}
