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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The files are the index: what one JVM commits, another reads bit for bit; one writer across processes; and a
 * JVM without {@code jdk.incubator.vector} runs on the scalar kernels with the same results.
 * (A second writer in another process is in {@link WriterLockTest}; a killed writer in {@link CrashRecoveryTest}.)
 */
class CrossJvmTest {
    @TempDir
    Path tmp;


    @Test
    void committedVectorsCrossProcessesBitForBit() throws Exception {
        Random r = TestSeeds.random("CrossJvmTest.committedVectorsCrossProcessesBitForBit");
        long seed = r.nextLong();
        Path dir = tmp.resolve("idx");
        int dim = 48;

        // Child 1 creates, adds 2000, commits, adds 25 more without committing, and halts without close.
        ChildJvm.Result first = ChildJvm.main(ChildMain.class).args("write", dir, dim, 256, seed, 2000, 25).run();
        assertEquals(0, first.exitCode(), first.describe());
        assertEquals(List.of("committed=2000", "published=2025"), first.stdoutLines(), first.describe());

        // This JVM reads exactly the commit: 2000 vectors, bit for bit; the uncommitted 25 are gone.
        try (MMapGraph g = MMapGraph.openReadOnly(dir)) {
            assertEquals(2000, g.committedCount());
            assertEquals(2000, g.size());
            for (int i = 0; i < 2000; i++) {
                assertArrayEquals(TestVectors.bits(TestVectors.vector(seed, i, dim)), TestVectors.bits(g.vector(i)), "vector " + i);
            }
            VerifyReport report = g.verify();
            assertTrue(report.ok(), report.problems().toString());
        }
        // Then writes more itself: the child did not close, so this writer recovers first.
        try (MMapGraph g = MMapGraph.open(dir)) {
            assertTrue(g.recoveredFromUncleanShutdown());
            assertEquals(2000, g.size());
            for (int i = 2000; i < 2600; i++) {
                assertEquals(i, g.add(TestVectors.vector(seed, i, dim)));
            }
        }
        // Child 2 reads everything back and verifies.
        ChildJvm.Result second = ChildJvm.main(ChildMain.class).args("verify", dir, seed, 2600).run();
        assertEquals(0, second.exitCode(), second.describe());
        assertTrue(second.stdout().startsWith("ok count=2600"), second.describe());
    }

    @Test
    void aJvmWithoutTheVectorModuleSearchesWithScalarKernelsAndFindsTheSame() throws Exception {
        Random r = TestSeeds.random("CrossJvmTest.aJvmWithoutTheVectorModuleSearchesWithScalarKernelsAndFindsTheSame");
        long seed = r.nextLong();
        long querySeed = r.nextLong();
        int queries = 20;
        int k = 10;
        Metric[] metrics = {Metric.L2, Metric.COSINE, Metric.DOT};
        int dim = 37; // not a multiple of any vector width: every tail path runs
        Path[] dirs = new Path[metrics.length];
        for (int m = 0; m < metrics.length; m++) {
            dirs[m] = tmp.resolve("idx-" + metrics[m]);
            try (MMapGraph g = MMapGraph.create(dirs[m],
                    IndexOptions.dimension(dim).withMetric(metrics[m]).withExtentSlots(128))) {
                for (int i = 0; i < 1500; i++) {
                    g.add(TestVectors.vector(seed, i, dim));
                }
            }
        }
        ChildJvm.Result child = ChildJvm.main(ChildMain.class)
                .jvmFlags("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m")
                .args("search", querySeed, queries, k, dirs[0], dirs[1], dirs[2])
                .run();
        assertEquals(0, child.exitCode(), child.describe());
        List<String> lines = child.stdoutLines();
        assertEquals("kernels=scalar", lines.getFirst(), child.describe());
        // One log line says why, and native access needed nothing beyond the documented flag.
        assertEquals(1, child.stderr().split("using scalar distance kernels", -1).length - 1, child.describe());
        assertFalse(child.stderr().contains("restricted method"), child.describe());

        Map<String, String> results = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split(" ", 4);
            assertEquals("result", parts[0], line);
            results.put(parts[1] + " " + parts[2], parts.length > 3 ? parts[3] : "");
        }
        assertEquals(metrics.length * queries, results.size(), child.describe());

        int compared = 0;
        for (int m = 0; m < metrics.length; m++) {
            try (MMapGraph g = MMapGraph.openReadOnly(dirs[m])) {
                for (int q = 0; q < queries; q++) {
                    float[] query = TestVectors.vector(querySeed, q, dim);
                    List<Neighbor> mine = g.search(query, SearchOptions.k(k).exactSearch()).neighbors();
                    String[] theirs = results.get(m + " " + q).split(" ");
                    assertEquals(k, theirs.length);
                    for (int i = 0; i < k; i++) {
                        String[] ordAndBits = theirs[i].split(":");
                        int ord = Integer.parseInt(ordAndBits[0]);
                        float dist = Float.intBitsToFloat(Integer.parseUnsignedInt(ordAndBits[1], 16));
                        Neighbor n = mine.get(i);
                        float tol = 1e-5f * (1 + Math.abs(n.distance()));
                        if (Math.abs(dist - n.distance()) > tol) {
                            fail(metrics[m] + " query " + q + " rank " + i + ": scalar child " + ord + "@" + dist
                                    + ", " + Kernels.get().name() + " here " + n);
                        }
                        // The same ordinal, unless two candidates are tied within float error.
                        if (ord != n.ordinal()) {
                            float theirsHere = Kernels.get().distance(metrics[m], prepared(query, metrics[m]),
                                    g.vector(ord));
                            if (Math.abs(theirsHere - n.distance()) > tol) {
                                fail(metrics[m] + " query " + q + " rank " + i + ": child found " + ord
                                        + ", this JVM " + n.ordinal());
                            }
                        }
                        compared++;
                    }
                }
            }
        }
        assertEquals(metrics.length * queries * k, compared);
    }

    private static float[] prepared(float[] query, Metric metric) {
        float[] q = query.clone();
        if (metric.normalizes()) {
            Kernels.normalize(q);
        }
        return q;
    }
}
