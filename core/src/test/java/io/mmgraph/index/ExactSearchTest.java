package io.mmgraph.index;

import io.mmgraph.TestSeeds;
import io.mmgraph.vector.Kernels;
import io.mmgraph.vector.Metric;
import io.mmgraph.vector.VectorKernels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Exact search against a brute-force oracle computed here. Two oracles: one scoring each stored vector with the same
 * kernel call the index makes (so results must be identical, ties broken by the smaller ordinal), and one in double
 * precision (so the kernel itself cannot be wrong in a way both share).
 */
class ExactSearchTest {
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int DIM = 13;

    @TempDir
    Path tmp;

    private static float[] randomVector(Random r) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static double doubleDistance(Metric metric, float[] q, float[] v) {
        double l2 = 0;
        double dot = 0;
        for (int i = 0; i < q.length; i++) {
            double d = (double) q[i] - v[i];
            l2 += d * d;
            dot += (double) q[i] * v[i];
        }
        return switch (metric) {
            case L2 -> l2;
            case COSINE -> 1 - dot;
            case DOT -> -dot;
        };
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void exactSearchEqualsBruteForce(Metric metric) throws IOException {
        Random r = TestSeeds.random("ExactSearchTest.exactSearchEqualsBruteForce[" + metric + "]");
        List<float[]> added = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            added.add(randomVector(r));
        }
        // Exact duplicates: equal distances, so the order between them is the tie rule.
        for (int i = 0; i < 40; i++) {
            added.add(added.get(r.nextInt(added.size())).clone());
        }
        // What the index stores: cosine normalizes each vector, the others keep it as given.
        List<float[]> stored = new ArrayList<>();
        for (float[] v : added) {
            float[] s = v.clone();
            if (metric.normalizes()) {
                Kernels.normalize(s);
            }
            stored.add(s);
        }
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            queries.add(randomVector(r));
        }
        for (int i = 0; i < 15; i++) {
            queries.add(added.get(700 + r.nextInt(40)).clone()); // lands on a duplicated vector: a tie at the top
        }

        Path dir = tmp.resolve("idx");
        VectorKernels kernels = Kernels.get();
        try (MMapGraph g = MMapGraph.create(dir, IndexOptions.dimension(DIM).withMetric(metric).withExtentSlots(64));
             Arena arena = Arena.ofConfined()) {
            for (float[] v : added) {
                g.add(v);
            }
            int n = added.size();
            MemorySegment record = arena.allocate(4L * DIM, 64);
            int ties = 0;
            for (int qi = 0; qi < queries.size(); qi++) {
                float[] q = queries.get(qi).clone();
                if (metric.normalizes()) {
                    Kernels.normalize(q);
                }
                // Oracle 1: the same kernel over the same bytes, sorted by (distance, ordinal).
                record oracle(int ord, float d, double exact) {}
                List<oracle> all = new ArrayList<>();
                for (int ord = 0; ord < n; ord++) {
                    float[] s = stored.get(ord);
                    for (int i = 0; i < DIM; i++) {
                        record.set(LE_FLOAT, 4L * i, s[i]);
                    }
                    all.add(new oracle(ord, kernels.distance(metric, q, record, 0), doubleDistance(metric, q, s)));
                }
                List<oracle> byKernel = new ArrayList<>(all);
                byKernel.sort(Comparator.comparingDouble(oracle::d).thenComparingInt(oracle::ord));
                List<oracle> byExact = new ArrayList<>(all);
                byExact.sort(Comparator.comparingDouble(oracle::exact).thenComparingInt(oracle::ord));
                for (int i = 1; i < n; i++) {
                    if (byKernel.get(i).d() == byKernel.get(i - 1).d()) {
                        ties++;
                    }
                }

                for (int k : new int[] {1, 5, 10, 50, n, n + 5}) {
                    List<Neighbor> got = g.search(queries.get(qi), SearchOptions.k(k).exactSearch()).neighbors();
                    assertEquals(Math.min(k, n), got.size(), "k=" + k);
                    for (int i = 0; i < got.size(); i++) {
                        oracle want = byKernel.get(i);
                        Neighbor have = got.get(i);
                        if (have.ordinal() != want.ord()
                                || Float.floatToRawIntBits(have.distance()) != Float.floatToRawIntBits(want.d())) {
                            fail(metric + " query " + qi + " k=" + k + " rank " + i + ": got " + have + ", oracle "
                                    + want + "\n got " + got.subList(0, Math.min(got.size(), 12)));
                        }
                        // The item at rank i is (within float error) as near as the true i-th nearest.
                        double exact = byExact.get(i).exact();
                        double tol = 1e-5 * (1 + Math.abs(exact));
                        if (Math.abs(all.get(have.ordinal()).exact() - exact) > tol) {
                            fail(metric + " query " + qi + " rank " + i + ": ordinal " + have.ordinal() + " is at "
                                    + all.get(have.ordinal()).exact() + ", the true rank-" + i + " distance is " + exact);
                        }
                    }
                }
            }
            assertTrue(ties >= 15, "the duplicates produced " + ties + " ties; the tie rule was not exercised");

            // A reader of the same commit finds the same.
            g.sync();
            try (MMapGraph reader = MMapGraph.openReadOnly(dir)) {
                for (float[] q : queries) {
                    assertEquals(g.search(q, SearchOptions.k(20).exactSearch()).neighbors(),
                            reader.search(q, SearchOptions.k(20).exactSearch()).neighbors());
                }
            }
        }
    }
}
