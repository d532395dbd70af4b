package io.mmgraph.graph;

import io.mmgraph.TestSeeds;
import io.mmgraph.dataset.GroundTruth;
import io.mmgraph.dataset.SyntheticData;
import io.mmgraph.vector.Metric;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Incremental Vamana built and searched over heap arrays only ({@link InMemoryGraph}: no files, no index
 * package): the graph algorithms stand on their interfaces. Recall@10 against brute force, and the structure of
 * what was built (degree, self loops, duplicates, reachability).
 */
class GraphBuilderTest {
    static final int N = 5000;
    static final int DIM = 32;
    static final int R = 32;
    static final int BUILD_L = 100;
    static final int QUERIES = 200;
    static final int K = 10;

    private static float[][] data(long seed, boolean queries, int n) {
        SyntheticData d = new SyntheticData(DIM, 100, seed);
        return queries ? d.queries(n) : d.bases(n);
    }

    /** Links nodes 0..n-1 from entry 0 with {@code threads} threads, each node seeing every stored vector. */
    private static InMemoryGraph build(float[][] points, int threads) throws InterruptedException {
        InMemoryGraph g = new InMemoryGraph(points, R);
        GraphBuilder builder = new GraphBuilder(g, g, BUILD_L, 1.2f, false);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable work = () -> {
            GraphBuilder.Worker w = builder.newWorker();
            try {
                for (int node = next.getAndIncrement(); node < points.length; node = next.getAndIncrement()) {
                    builder.link(w, node, 0, points.length);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread[] pool = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            pool[t] = Thread.ofPlatform().name("link-" + t).start(work);
        }
        for (Thread t : pool) {
            t.join();
        }
        assertNull(failure.get(), () -> "link failed: " + failure.get());
        return g;
    }

    /** The node nearest the mean: the medoid-like entry the index uses. */
    private static int centre(float[][] points) {
        float[] mean = new float[DIM];
        for (float[] p : points) {
            for (int j = 0; j < DIM; j++) {
                mean[j] += p[j] / points.length;
            }
        }
        int best = 0;
        for (int i = 1; i < points.length; i++) {
            if (InMemoryGraph.squaredL2(mean, points[i]) < InMemoryGraph.squaredL2(mean, points[best])) {
                best = i;
            }
        }
        return best;
    }

    private static void checkStructure(InMemoryGraph g, String what) {
        assertEquals(0, g.oversizedWrites, what + ": lists written with more than R ids");
        int empty = 0;
        long edges = 0;
        for (int node = 0; node < g.size(); node++) {
            int[] list = g.list(node);
            assertTrue(list.length <= R, what + ": node " + node + " degree " + list.length);
            Set<Integer> seen = new HashSet<>();
            for (int id : list) {
                assertTrue(id >= 0 && id < g.size(), what + ": node " + node + " names " + id);
                assertTrue(id != node, what + ": self loop at " + node);
                assertTrue(seen.add(id), what + ": node " + node + " lists " + id + " twice: " + Arrays.toString(list));
            }
            empty += list.length == 0 ? 1 : 0;
            edges += list.length;
        }
        assertEquals(0, empty, what + ": nodes without out-edges");
        System.out.printf("%s: average degree %.2f (R=%d)%n", what, (double) edges / g.size(), R);
    }

    /** Fraction of nodes reachable from {@code entry} along out-edges. */
    private static double reachable(InMemoryGraph g, int entry) {
        boolean[] seen = new boolean[g.size()];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(entry);
        seen[entry] = true;
        int count = 1;
        while (!queue.isEmpty()) {
            for (int id : g.list(queue.poll())) {
                if (!seen[id]) {
                    seen[id] = true;
                    count++;
                    queue.add(id);
                }
            }
        }
        return (double) count / g.size();
    }

    private static double recall(InMemoryGraph g, int entry, float[][] queries, int[][] truth, int beam, String what) {
        GraphSearcher s = new GraphSearcher(g);
        int[][] found = new int[queries.length][];
        long distances = 0;
        for (int q = 0; q < queries.length; q++) {
            int n = s.search(g.query(queries[q]), entry, beam, g.size());
            found[q] = Arrays.copyOf(s.resultNodes(), Math.min(K, n));
            float[] d = Arrays.copyOf(s.resultDistances(), n);
            for (int i = 1; i < n; i++) {
                if (d[i] < d[i - 1]) {
                    fail(what + ": query " + q + " results out of order at " + i + ": " + Arrays.toString(d));
                }
            }
            distances += s.distanceComputations();
        }
        double r = GroundTruth.recall(found, truth, K);
        double avg = (double) distances / queries.length;
        System.out.printf("%s: recall@%d at L=%d = %.4f, %.0f distances/query (%.1f%% of N)%n", what, K, beam, r,
                avg, 100 * avg / g.size());
        assertTrue(avg < 0.5 * g.size(), what + ": a search scored " + avg + " of " + g.size() + " nodes on average");
        return r;
    }

    private void buildAndMeasure(int threads) throws Exception {
        long seed = TestSeeds.seed("GraphBuilderTest." + threads + "thread");
        float[][] points = data(seed, false, N);
        float[][] queries = data(seed, true, QUERIES);
        int[][] truth = GroundTruth.compute(points, queries, K, Metric.L2);
        InMemoryGraph g = build(points, threads);
        String what = "in-memory Vamana, " + threads + " thread(s), " + N + "x" + DIM;
        checkStructure(g, what);
        int entry = centre(points);
        double reach = reachable(g, entry);
        System.out.printf("%s: %.4f of nodes reachable from the centre%n", what, reach);
        assertTrue(reach >= 0.999, what + ": only " + reach + " of the nodes are reachable");
        double r = recall(g, entry, queries, truth, 100, what);
        assertTrue(r >= 0.95, what + ": recall@10 " + r);
    }

    @Test
    void singleThreadedBuildReachesNinetyFivePercentRecall() throws Exception {
        buildAndMeasure(1);
    }

    @Test
    void twoThreadedBuildReachesNinetyFivePercentRecall() throws Exception {
        buildAndMeasure(2);
    }
}
