package io.mmgraph.bench.engine;

import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every engine against the same small data: the ordinals it returns must be base-row indexes (so recall is
 * comparable), nearest first, and its persisted variants must open in an instance that never built (as the harness
 * opens them in a fresh JVM). A wrong id mapping shows as recall near zero.
 */
class EngineContractTest {
    @TempDir
    Path tmp;

    private static BenchData data(Metric metric) {
        Random r = new Random(11);
        float[][] base = new float[3000][16];
        float[][] queries = new float[40][16];
        for (float[][] set : new float[][][]{base, queries}) {
            for (float[] v : set) {
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) r.nextGaussian();
                }
            }
        }
        return new BenchData(base, queries, GroundTruth.compute(base, queries, 10, metric), metric);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmgraph", "mmgraph-pq", "jvector", "lucene", "exact"})
    void findsTheTrueNeighboursAsBaseOrdinals(String name) throws IOException {
        for (Metric metric : new Metric[]{Metric.L2, Metric.COSINE}) {
            BenchData d = data(metric);
            Engine engine = Engines.create(name);
            Path dir = Files.createDirectories(tmp.resolve(name + "-" + metric));
            BuildParams params = new BuildParams(metric, 16, 60, 1.2f);
            engine.build(d, params, dir, 2);
            try {
                for (String variant : engine.variants()) {
                    Engine opener = engine.persisted(variant) ? Engines.create(name) : engine;
                    try (Engine.SearchIndex index = opener.open(variant, dir, params)) {
                        Engine.Session s = index.newSession();
                        int[][] found = new int[d.queries().length][10];
                        for (int q = 0; q < found.length; q++) {
                            assertEquals(10, s.search(d.queries()[q], 10, 100, found[q]), variant);
                        }
                        double recall = GroundTruth.recall(found, d.truth(), 10);
                        assertTrue(recall >= 0.9, variant + " " + metric + " recall " + recall);
                        // Nearest first: the first hit is the true nearest for nearly every query.
                        int firstRight = 0;
                        for (int q = 0; q < found.length; q++) {
                            firstRight += found[q][0] == d.truth()[q][0] ? 1 : 0;
                        }
                        assertTrue(firstRight >= found.length * 9 / 10, variant + " first hit right for " + firstRight);
                    }
                }
            } finally {
                engine.close();
            }
            assertFalse(engine.simdProvider().isBlank());
        }
    }

    @Test
    void luceneReportsItsVectorizationProviderAndBuildsOneSegment() throws IOException {
        LuceneEngine lucene = new LuceneEngine();
        assertTrue(lucene.simdProvider().contains("vector"), lucene.simdProvider());
        BenchData d = data(Metric.L2);
        BuildParams params = new BuildParams(Metric.L2, 16, 40, 1.2f);
        lucene.build(d, params, tmp, 2);
        try (Engine.SearchIndex index = lucene.open("lucene", tmp, params)) {
            assertEquals("topK", index.effortName()); // open() refuses more than one segment
        }
    }

    @Test
    void jvectorReadsItsDiskGraphThroughAMapping() throws IOException {
        JVectorEngine jvector = new JVectorEngine();
        BenchData d = data(Metric.L2);
        jvector.build(d, new BuildParams(Metric.L2, 16, 40, 1.2f), tmp, 2);
        try (var files = Files.list(tmp)) {
            Path file = files.findFirst().orElseThrow();
            assertTrue(JVectorEngine.readerClass(file).contains("MemorySegmentReader"), JVectorEngine.readerClass(file));
        } finally {
            jvector.close();
        }
    }
}
